Feature: json_omit removes the given paths from an object

  Background:
    Given the input:
      """
      {"data": {"id": 1, "user": {"name": "Zoë 😀", "password": "s3cret", "roles": ["admin", "dev", "ops"]}, "items": [{"id": "a", "secret": 3}, {"id": "b", "secret": 4}, {"id": "c"}], "note": null}, "paths": []}
      """

  Scenario: Nested keys are removed, the rest keeps its order
    Given the parameter "paths" is ["user.password", "note"]
    When the component runs
    Then the output contains "{\"id\":1,\"user\":{\"name\":\"Zoë 😀\",\"roles\":[\"admin\",\"dev\",\"ops\"]},\"items\":"
    And the output is:
      """
      {"id": 1, "user": {"name": "Zoë 😀", "roles": ["admin", "dev", "ops"]}, "items": [{"id": "a", "secret": 3}, {"id": "b", "secret": 4}, {"id": "c"}]}
      """

  Scenario: Array indexes refer to the original array, later items move up
    Given the parameter "paths" is ["user.roles.0", "user.roles[2]", "items[-1]", "items.0"]
    When the component runs
    Then the output field "user.roles" is ["dev"]
    And the output field "items" is [{"id": "b", "secret": 4}]

  Scenario: A key inside every array item is removed path by path
    Given the parameter "paths" is ["items.0.secret", "items.1.secret", "items.2.secret"]
    When the component runs
    Then the output field "items" is [{"id": "a"}, {"id": "b"}, {"id": "c"}]

  Scenario: Removing an object and a path inside it, in either order
    Given the parameter "paths" is ["user.name", "user", "items.1", "items.1.id"]
    When the component runs
    Then the output is:
      """
      {"id": 1, "items": [{"id": "a", "secret": 3}, {"id": "c"}], "note": null}
      """

  Scenario: Missing paths are skipped by default, and no paths change nothing
    Given the parameter "paths" is ["user.phone", "items.9", "id.x"]
    When the component runs
    Then the output field "id" is 1
    And the output field "items.2" is {"id": "c"}

  Scenario: With ignore_missing false a missing path fails, naming it, and nothing is removed
    Given the parameter "paths" is ["id", "items.3.secret"]
    And the parameter "ignore_missing" is false
    When the component runs
    Then it fails with code "path_not_found"
    And the error message contains "path 'items.3.secret' not found: 'items' is an array of 3 items"
    And the error details are:
      """
      {"path": "items.3.secret", "missing": "items.3", "segment": "3"}
      """

  Scenario: A malformed path fails with invalid_path
    Given the parameter "paths" is ["items[0"]
    When the component runs
    Then it fails with code "invalid_path"
    And the error message contains "paths[0]: 'items[0' has an unclosed '['"

  Scenario: The data must be an object
    Given the parameter "data" is "text"
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "data"
