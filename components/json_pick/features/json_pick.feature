Feature: json_pick keeps only the given paths of an object

  Background:
    Given the input:
      """
      {"data": {"id": 1, "user": {"name": "Zoë 😀", "email": "z@example.com", "roles": ["admin", "dev"]}, "items": [{"id": "a", "price": 3}, {"id": "b", "price": 4, "tags": [[1, 2], [3]]}], "note": null}, "paths": []}
      """

  Scenario: Nested keys keep their nesting
    Given the parameter "paths" is ["user.name", "id"]
    When the component runs
    Then the output is:
      """
      {"user": {"name": "Zoë 😀"}, "id": 1}
      """

  Scenario: Array items stay at their index, with null in the gaps
    Given the parameter "paths" is ["items.1.id", "items[1].tags[0][1]", "user.roles.-1"]
    When the component runs
    Then the output is:
      """
      {"items": [null, {"id": "b", "tags": [[null, 2]]}], "user": {"roles": [null, "dev"]}}
      """

  Scenario: A whole object and a path inside it give the whole object, in either order
    Given the parameter "paths" is ["user.name", "user", "user.email", "items.0", "items.0.id"]
    When the component runs
    Then the output is:
      """
      {"user": {"name": "Zoë 😀", "email": "z@example.com", "roles": ["admin", "dev"]}, "items": [{"id": "a", "price": 3}]}
      """

  Scenario: Keys come in the order of the paths, and a null value is kept
    Given the parameter "paths" is ["note", "user.email", "id"]
    When the component runs
    Then the output contains "{\"note\":null,\"user\":{\"email\":\"z@example.com\"},\"id\":1}"

  Scenario: Missing paths are skipped by default
    Given the parameter "paths" is ["user.phone", "items.5.id", "id.x", "id"]
    When the component runs
    Then the output is {"id": 1}

  Scenario: No paths give an empty object
    When the component runs
    Then the output is {}

  Scenario: With ignore_missing false a missing path fails, naming it
    Given the parameter "paths" is ["id", "user.address.city"]
    And the parameter "ignore_missing" is false
    When the component runs
    Then it fails with code "path_not_found"
    And the error message contains "path 'user.address.city' not found: 'user' has no key 'address'"

  Scenario: A malformed path fails with invalid_path, naming its position in paths
    Given the parameter "paths" is ["id", "user..name"]
    When the component runs
    Then it fails with code "invalid_path"
    And the error message contains "paths[1]: 'user..name' has an empty key at position 5"

  Scenario Outline: The input schema refuses <what>
    Given the input:
      """
      <input>
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "<field>"

    Examples:
      | what              | input                              | field          |
      | data as an array  | {"data": [1], "paths": ["0"]}      | data           |
      | an empty path     | {"data": {}, "paths": [""]}        | paths.0        |
      | missing paths     | {"data": {}}                       | paths          |
      | an unknown option | {"data": {}, "paths": [], "x": 1}  | x              |

  Scenario: Paths named like JavaScript properties pick own keys only
    Given the parameter "data" is {"__proto__": {"x": 1}, "constructor": "c", "plain": {}}
    And the parameter "paths" is ["__proto__.x", "constructor", "toString", "plain.constructor", "hasOwnProperty"]
    When the component runs
    Then the output is {"__proto__": {"x": 1}, "constructor": "c"}
