Feature: join_text joins a list into one text

  Scenario: Comma and space by default
    Given the parameter "items" is ["red", "green", "blue"]
    When the component runs
    Then the output is "red, green, blue"

  Scenario: A different last separator, a prefix and a suffix
    Given the input:
      """
      {"items": ["Ana", "Bo", "Zoë"], "separator": ", ", "last_separator": " and ", "prefix": "Invités : ", "suffix": "."}
      """
    When the component runs
    Then the output is "Invités : Ana, Bo and Zoë."

  Scenario Outline: The last separator with <count> items
    Given the input:
      """
      {"items": <items>, "last_separator": " & "}
      """
    When the component runs
    Then the output is "<joined>"

    Examples:
      | count | items            | joined    |
      | 0     | []               |           |
      | 1     | ["😀"]           | 😀        |
      | 2     | ["😀", "🎉"]     | 😀 & 🎉   |
      | 3     | ["a", "b", "c"]  | a, b & c  |

  Scenario: Numbers and booleans are written as JavaScript writes them, null as nothing
    Given the input:
      """
      {"items": [1, 2.50, 1e21, 0.0000001, -0, true, false, null, "末"], "separator": "|"}
      """
    When the component runs
    Then the output is "1|2.5|1e+21|1e-7|0|true|false||末"

  Scenario: Prefix and suffix wrap an empty list too
    Given the input:
      """
      {"items": [], "prefix": "[", "suffix": "]"}
      """
    When the component runs
    Then the output is "[]"

  Scenario: An object in the list is not joinable, and the error names its index
    Given the input:
      """
      {"items": ["a", "b", {"name": "c"}]}
      """
    When the component runs
    Then it fails with code "not_joinable"
    And the error message contains "items[2] is an object"
    And the error details are:
      """
      {"index": 2, "type": "object"}
      """

  Scenario: A nested list is not joinable either
    Given the input:
      """
      {"items": [["a"]]}
      """
    When the component runs
    Then it fails with code "not_joinable"
    And the error message contains "items[0] is a list"

  Scenario: Items must be a list
    Given the input:
      """
      {"items": "a, b"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "items"
