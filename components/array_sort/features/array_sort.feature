Feature: array_sort sorts a list stably

  Scenario: Numbers numerically, ascending by default
    Given the parameter "items" is [10, 9, -1.5, 100, 0, 2e3]
    When the component runs
    Then the output is [-1.5, 0, 9, 10, 100, 2000]

  Scenario: Strings by UTF-16 code unit: uppercase first, then accents, then astral characters
    Given the parameter "items" is ["b", "a", "é", "B", "😀", "ﬀ", "", "aa"]
    When the component runs
    Then the output is ["", "B", "a", "aa", "b", "é", "😀", "ﬀ"]

  Scenario: Mixed types sort null < booleans < numbers < strings < arrays < objects
    Given the parameter "items" is [{"z": 1}, "1", [2], true, 3, null, false, [1], {"a": 0}, -3]
    When the component runs
    Then the output is [null, false, true, -3, 3, "1", [2], [1], {"z": 1}, {"a": 0}]

  Scenario: By a nested path, descending; ties keep their order and items without the path come last
    Given the input:
      """
      {"items": [
        {"n": "ann", "p": {"age": 30}},
        {"n": "bob"},
        {"n": "cid", "p": {"age": 25}},
        {"n": "dee", "p": {"age": 30}},
        {"n": "eve", "p": {"age": null}},
        {"n": "fay", "p": "none"},
        {"n": "gus", "p": {"age": 41}}
      ], "by": "p.age", "order": "desc"}
      """
    When the component runs
    Then the output is:
      """
      [
        {"n": "gus", "p": {"age": 41}},
        {"n": "ann", "p": {"age": 30}},
        {"n": "dee", "p": {"age": 30}},
        {"n": "cid", "p": {"age": 25}},
        {"n": "eve", "p": {"age": null}},
        {"n": "bob"},
        {"n": "fay", "p": "none"}
      ]
      """

  Scenario: By an index into nested arrays
    Given the input:
      """
      {"items": [[3, "c"], [1, "a"], [2, "b"], [1, "z"]], "by": "[0]"}
      """
    When the component runs
    Then the output is [[1, "a"], [1, "z"], [2, "b"], [3, "c"]]

  Scenario Outline: Numeric strings sort as numbers only when asked (numeric <numeric>)
    Given the input:
      """
      {"items": ["10", "9", "x", "1e1", "-2", 5], "numeric": <numeric>}
      """
    When the component runs
    Then the output is <sorted>

    Examples:
      | numeric | sorted                               |
      | false   | [5, "-2", "10", "1e1", "9", "x"]     |
      | true    | ["-2", 5, "9", "10", "1e1", "x"]     |

  Scenario: An empty list stays empty
    Given the parameter "items" is []
    When the component runs
    Then the output is []

  Scenario: An unknown order is refused by the input schema
    Given the input:
      """
      {"items": [2, 1], "order": "random"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "order"

  Scenario: A malformed by path fails with invalid_path
    Given the input:
      """
      {"items": [{"a": 1}], "by": "a."}
      """
    When the component runs
    Then it fails with code "invalid_path"
    And the error message contains "by: 'a.' has an empty key"
