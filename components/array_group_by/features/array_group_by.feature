Feature: array_group_by groups the items of a list by the value at a path

  Scenario: Groups in first-seen order, items in their original order
    Given the input:
      """
      {"items": [
        {"id": 1, "status": "open"},
        {"id": 2, "status": "done"},
        {"id": 3, "status": "open"},
        {"id": 4, "status": "ça va"}
      ], "by": "status"}
      """
    When the component runs
    Then the output is:
      """
      {"open": [{"id": 1, "status": "open"}, {"id": 3, "status": "open"}], "done": [{"id": 2, "status": "done"}], "ça va": [{"id": 4, "status": "ça va"}]}
      """
    And the output contains "{\"open\":[{\"id\":1,\"status\":\"open\"},{\"id\":3,\"status\":\"open\"}],\"done\":"

  Scenario: Keys that are not strings become JSON text; 1 and "1" share a group
    Given the input:
      """
      {"items": [
        {"k": 1}, {"k": "1"}, {"k": true}, {"k": null}, {"k": 1.0},
        {"k": {"b": 2, "a": 1}}, {"k": {"a": 1, "b": 2}}, {"k": [1, "x"]}, {"k": 2.5}
      ], "by": "k"}
      """
    When the component runs
    Then the output is:
      """
      {
        "1": [{"k": 1}, {"k": "1"}, {"k": 1}],
        "true": [{"k": true}],
        "null": [{"k": null}],
        "{\"a\":1,\"b\":2}": [{"k": {"b": 2, "a": 1}}, {"k": {"a": 1, "b": 2}}],
        "[1,\"x\"]": [{"k": [1, "x"]}],
        "2.5": [{"k": 2.5}]
      }
      """

  Scenario Outline: Items without the path go to the <name> group
    Given the input:
      """
      {"items": [{"u": {"c": "fr"}}, {"u": {}}, {"u": {"c": "de"}}, 7, {"u": {"c": "fr"}}], "by": "u.c"<extra>}
      """
    When the component runs
    Then the output is:
      """
      {"fr": [{"u": {"c": "fr"}}, {"u": {"c": "fr"}}], "<name>": [{"u": {}}, 7], "de": [{"u": {"c": "de"}}]}
      """

    Examples:
      | name     | extra                  |
      | _missing |                        |
      | ??       | , "missing": "??"      |

  Scenario: By an index into nested arrays, with astral characters in keys
    Given the input:
      """
      {"items": [["😀", 1], ["🎉", 2], ["😀", 3], []], "by": "[0]", "missing": "none"}
      """
    When the component runs
    Then the output is {"😀": [["😀", 1], ["😀", 3]], "🎉": [["🎉", 2]], "none": [[]]}

  Scenario: An empty list gives no groups
    Given the input:
      """
      {"items": [], "by": "x"}
      """
    When the component runs
    Then the output is {}

  Scenario: The by path is required
    Given the input:
      """
      {"items": [1, 2]}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "by: is required"

  Scenario: A malformed by path fails with invalid_path
    Given the input:
      """
      {"items": [1], "by": "a[1"}
      """
    When the component runs
    Then it fails with code "invalid_path"

  Scenario: Group keys named like JavaScript properties are ordinary keys
    Given the input:
      """
      {"items": [
        {"id": 1, "k": "__proto__"}, {"id": 2, "k": "constructor"}, {"id": 3, "k": "toString"},
        {"id": 4, "k": "__proto__"}, {"id": 5, "k": "hasOwnProperty"}
      ], "by": "k"}
      """
    When the component runs
    Then the output is:
      """
      {"__proto__": [{"id": 1, "k": "__proto__"}, {"id": 4, "k": "__proto__"}], "constructor": [{"id": 2, "k": "constructor"}], "toString": [{"id": 3, "k": "toString"}], "hasOwnProperty": [{"id": 5, "k": "hasOwnProperty"}]}
      """
