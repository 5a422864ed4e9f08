Feature: json_path_get reads the value at a path

  Scenario Outline: Dotted and bracketed paths: <path>
    Given the input:
      """
      {"data": {"user": {"name": "Zoë 😀", "tags": ["a", "b"]}, "items": [{"id": 7}, {"id": 8, "sub": [[1, 2], [3]]}], "a.b": {"[x]": true}}, "path": "<path>"}
      """
    When the component runs
    Then the output is <value>

    Examples:
      | path               | value                                  |
      | user.name          | "Zoë 😀"                               |
      | items[0].id        | 7                                      |
      | items.1.id         | 8                                      |
      | items[1].sub[0][1] | 2                                      |
      | items.1.sub.1      | [3]                                    |
      | items[-1].id       | 8                                      |
      | user.tags.-2       | "a"                                    |
      | user               | {"name": "Zoë 😀", "tags": ["a", "b"]} |

  Scenario: A quoted key in brackets may hold dots and brackets
    Given the input:
      """
      {"data": {"a.b": {"[x]": [true]}}, "path": "[\"a.b\"][\"[x]\"][0]"}
      """
    When the component runs
    Then the output is true

  Scenario: The empty path is the data itself, which may be any JSON
    Given the input:
      """
      {"data": [1, [2, 3]], "path": ""}
      """
    When the component runs
    Then the output is [1, [2, 3]]

  Scenario: A present null is a value, not a missing path
    Given the input:
      """
      {"data": {"a": null}, "path": "a", "default": "fallback"}
      """
    When the component runs
    Then the output is null

  Scenario Outline: A missing path gives the default (<path>)
    Given the input:
      """
      {"data": {"a": {"b": [10, 20]}}, "path": "<path>", "default": <default>}
      """
    When the component runs
    Then the output is <default>

    Examples:
      | path     | default        |
      | a.c      | "none"         |
      | a.b.2    | 0              |
      | a.b[-3]  | null           |
      | a.b.0.x  | {"empty": []}  |
      | a.b.x    | false          |

  Scenario: A missing path without a default names the first missing segment
    Given the input:
      """
      {"data": {"items": [{"id": 1}]}, "path": "items[0].user.name"}
      """
    When the component runs
    Then it fails with code "path_not_found"
    And the error message contains "'items[0]' has no key 'user'"
    And the error details are:
      """
      {"path": "items[0].user.name", "missing": "items[0].user", "segment": "user"}
      """

  Scenario: An index past the end of an array says how long the array is
    Given the input:
      """
      {"data": {"items": []}, "path": "items.0"}
      """
    When the component runs
    Then it fails with code "path_not_found"
    And the error message contains "'items' is an array of 0 items"

  Scenario: Descending into a scalar is a missing path
    Given the input:
      """
      {"data": "text", "path": "length"}
      """
    When the component runs
    Then it fails with code "path_not_found"
    And the error message contains "the data is string"

  Scenario Outline: A malformed path is refused: <path>
    Given the input:
      """
      {"data": {}, "path": "<path>"}
      """
    When the component runs
    Then it fails with code "invalid_path"
    And the error message contains "<problem>"

    Examples:
      | path     | problem                              |
      | a..b     | an empty key at position 2           |
      | a.       | an empty key at position 2           |
      | .a       | an empty key at position 0           |
      | a[x]     | an index that is not an integer      |
      | a[01]    | an index that is not an integer      |
      | a[0      | an unclosed '['                      |
      | a[0]b    | 'b' after ']'                        |

  Scenario: The path parameter is required and must be a string
    Given the input:
      """
      {"data": {}, "path": 3}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "path"
