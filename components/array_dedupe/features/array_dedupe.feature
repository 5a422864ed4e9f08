Feature: array_dedupe removes repeated items, keeping the first

  Scenario: Scalars, keeping the first occurrence and the original order
    Given the parameter "items" is ["b", 1, "a", "b", 1.0, "1", true, null, true, null, "é", "é"]
    When the component runs
    Then the output is:
      """
      {"items": ["b", 1, "a", "1", true, null, "é"], "removed": 5}
      """

  Scenario: Objects are equal whatever their key order, at every depth
    Given the parameter "items" is [{"a": 1, "b": {"x": [1, {"p": 1, "q": 2}]}}, {"b": {"x": [1, {"q": 2, "p": 1}]}, "a": 1}, {"a": 1, "b": {"x": [{"p": 1, "q": 2}, 1]}}]
    When the component runs
    Then the output field "removed" is 1
    And the output field "items" is [{"a": 1, "b": {"x": [1, {"p": 1, "q": 2}]}}, {"a": 1, "b": {"x": [{"p": 1, "q": 2}, 1]}}]

  Scenario: By a path, comparing nested values; items without it are all kept
    Given the input:
      """
      {"items": [
        {"id": 1, "who": {"email": "zoë@example.com"}},
        {"id": 2, "who": {"email": "bob@example.com"}},
        {"id": 3, "who": {"email": "zoë@example.com"}},
        {"id": 4},
        {"id": 5},
        {"id": 6, "who": {"email": null}},
        {"id": 7, "who": {"email": null}}
      ], "by": "who.email"}
      """
    When the component runs
    Then the output is:
      """
      {"items": [
        {"id": 1, "who": {"email": "zoë@example.com"}},
        {"id": 2, "who": {"email": "bob@example.com"}},
        {"id": 4},
        {"id": 5},
        {"id": 6, "who": {"email": null}}
      ], "removed": 2}
      """

  Scenario: Nested arrays compare item by item
    Given the parameter "items" is [[1, [2, 3]], [1, [2, 3]], [1, [3, 2]], [], []]
    When the component runs
    Then the output is {"items": [[1, [2, 3]], [1, [3, 2]], []], "removed": 2}

  Scenario: An empty list
    Given the parameter "items" is []
    When the component runs
    Then the output is {"items": [], "removed": 0}

  Scenario: The items must be a list
    Given the parameter "items" is {"a": 1}
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "items"
