Feature: validate_json checks data against a JSON Schema (draft 2020-12)

  Background:
    Given the parameter "schema" is:
      """
      {
        "type": "object",
        "required": ["email", "age"],
        "properties": {
          "email": {"type": "string", "minLength": 3, "maxLength": 50},
          "age": {"type": "integer", "minimum": 0, "maximum": 150},
          "plan": {"enum": ["free", "pro"]},
          "tags": {"type": "array", "items": {"type": "string"}}
        },
        "additionalProperties": false
      }
      """

  Scenario: Valid data passes through unchanged
    Given the parameter "data" is {"email": "ana@example.com", "age": 31, "plan": "pro", "tags": ["a", "b"]}
    When the component runs
    Then the output is {"email": "ana@example.com", "age": 31, "plan": "pro", "tags": ["a", "b"]}

  Scenario: Every violation is listed with its path
    Given the parameter "data" is {"email": "a@", "age": 31.5, "plan": "gold", "tags": ["x", 2], "admin": true}
    When the component runs
    Then it fails with code "validation_failed"
    And the error message contains "5 problems"
    And the error details are:
      """
      [
        {"path": "/email", "message": "must be at least 3 characters long, got 2"},
        {"path": "/age", "message": "must be integer, got number"},
        {"path": "/plan", "message": "must be one of \"free\", \"pro\""},
        {"path": "/tags/1", "message": "must be string, got number"},
        {"path": "/admin", "message": "is not allowed (additionalProperties is false)"}
      ]
      """

  Scenario: Missing required properties are named
    Given the parameter "data" is {"plan": "free"}
    When the component runs
    Then it fails with code "validation_failed"
    And the error details include:
      """
      [{"path": "/email", "message": "is required"}, {"path": "/age", "message": "is required"}]
      """

  Scenario: Not an object at all
    Given the parameter "data" is [1, 2]
    When the component runs
    Then it fails with code "validation_failed"
    And the error details are:
      """
      [{"path": "", "message": "must be object, got array"}]
      """

  Scenario Outline: Numbers: <data> against <schema>
    Given the parameter "schema" is <schema>
    And the parameter "data" is <data>
    When the component runs
    Then <outcome>

    Examples:
      | schema                                  | data | outcome                                  |
      | {"type": "integer"}                     | 1.0  | it succeeds                              |
      | {"type": "integer"}                     | 1e2  | it succeeds                              |
      | {"type": "integer"}                     | 1.5  | it fails with code "validation_failed"   |
      | {"type": "number", "minimum": 0}        | -0.5 | it fails with code "validation_failed"   |
      | {"exclusiveMaximum": 10}                | 10   | it fails with code "validation_failed"   |
      | {"multipleOf": 0.1}                     | 0.3  | it succeeds                              |
      | {"const": 1}                            | 1.0  | it succeeds                              |
      | {"enum": [{"a": 1, "b": [2]}]}          | {"b": [2.0], "a": 1} | it succeeds                 |

  Scenario Outline: String length counts Unicode code points: <data>
    Given the parameter "schema" is {"type": "string", "minLength": <min>, "maxLength": <max>}
    And the parameter "data" is <data>
    When the component runs
    Then <outcome>

    Examples:
      | data       | min | max | outcome                                |
      | "😀😀"     | 2   | 2   | it succeeds                            |
      | "😀"       | 2   | 5   | it fails with code "validation_failed" |
      | "héllo"    | 5   | 5   | it succeeds                            |
      | "日本語"   | 1   | 2   | it fails with code "validation_failed" |
      | ""         | 0   | 0   | it succeeds                            |

  Scenario: Composition and references
    Given the parameter "schema" is:
      """
      {
        "$defs": {"id": {"type": "string", "minLength": 1}},
        "type": "array",
        "items": {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "null"}]},
        "uniqueItems": true,
        "maxItems": 3
      }
      """
    And the parameter "data" is ["a", null, "a", 5]
    When the component runs
    Then it fails with code "validation_failed"
    And the error details are:
      """
      [
        {"path": "/3", "message": "must match an anyOf schema"},
        {"path": "", "message": "must have at most 3 items, got 4"},
        {"path": "", "message": "must not contain duplicates (items 0 and 2 are equal)"}
      ]
      """

  Scenario: The false schema allows nothing, the true schema everything
    Given the parameter "schema" is {"properties": {"a": false, "b": true}}
    And the parameter "data" is {"a": 1, "b": {"anything": [1]}}
    When the component runs
    Then it fails with code "validation_failed"
    And the error details are:
      """
      [{"path": "/a", "message": "is not allowed (the schema is false)"}]
      """

  Scenario: Keywords it cannot evaluate are refused, not skipped
    Given the parameter "schema" is {"type": "string", "pattern": "^a"}
    And the parameter "data" is "b"
    When the component runs
    Then it fails with code "unsupported_schema"
    And the error message contains "pattern"

  Scenario: An invalid schema is reported as such
    Given the parameter "schema" is {"type": "strng"}
    And the parameter "data" is "x"
    When the component runs
    Then it fails with code "invalid_schema"
    And the error message contains "#/type must be a JSON type name"

  Scenario: Without data the host refuses the input before running
    Given the input:
      """
      {"schema": {"type": "object"}}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "data: is required"

  Scenario: Keys named like JavaScript properties are ordinary keys in properties and required
    Given the parameter "schema" is:
      """
      {
        "type": "object",
        "required": ["constructor", "hasOwnProperty", "__proto__"],
        "properties": {
          "__proto__": {"type": "string"},
          "constructor": {"type": "number"},
          "toString": {"enum": ["yes"]}
        },
        "additionalProperties": false
      }
      """
    And the parameter "data" is {"__proto__": 5, "toString": "no", "valueOf": 1}
    When the component runs
    Then it fails with code "validation_failed"
    And the error details are:
      """
      [
        {"path": "/constructor", "message": "is required"},
        {"path": "/hasOwnProperty", "message": "is required"},
        {"path": "/__proto__", "message": "must be string, got number"},
        {"path": "/toString", "message": "must be one of \"yes\""},
        {"path": "/valueOf", "message": "is not allowed (additionalProperties is false)"}
      ]
      """

  Scenario: Data with keys named like JavaScript properties passes through whole
    Given the parameter "schema" is {"type": "object", "required": ["__proto__", "constructor"], "properties": {"constructor": {"type": "object", "required": ["prototype"]}}}
    And the parameter "data" is {"__proto__": {"polluted": true}, "constructor": {"prototype": 1}, "hasOwnProperty": "h"}
    When the component runs
    Then the output is {"__proto__": {"polluted": true}, "constructor": {"prototype": 1}, "hasOwnProperty": "h"}
