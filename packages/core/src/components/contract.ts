/**
 * Component contract (`contract.yaml`). Issue 3 owns the full schema; this is the shape core reads.
 */
export interface Contract {
  name: string;
  version: string;
  description: string;
  author?: string;
  category?: string;
  input_schema?: Record<string, unknown>;
  output_schema?: Record<string, unknown>;
  credentials_required?: { key: string; inject_as: string; description?: string }[];
  config_example?: Record<string, unknown>;
  no_network_syscall?: boolean;
  limits?: Partial<{ timeout_ms: number; max_output_bytes: number; retries: number; backoff_ms: number; memory_pages: number }>;
  /** hosts a recipe or component may reach through the host */
  egress?: string[];
}
