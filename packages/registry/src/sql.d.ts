// Migrations are bundled as text (esbuild `loader: {".sql": "text"}`; wrangler rule `Text`).
declare module "*.sql" {
  const text: string;
  export default text;
}
