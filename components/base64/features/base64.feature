Feature: base64 encodes text as Base64 and decodes it back

  Scenario Outline: Encode <text>
    Given the input:
      """
      {"action": "encode", "text": "<text>", "url_safe": <url_safe>, "padding": <padding>}
      """
    When the component runs
    Then the output is "<encoded>"

    Examples:
      | text          | url_safe | padding | encoded              |
      |               | false    | true    |                      |
      | f             | false    | true    | Zg==                 |
      | fo            | false    | true    | Zm8=                 |
      | foo           | false    | true    | Zm9v                 |
      | foobar        | false    | true    | Zm9vYmFy             |
      | héllo 😀      | false    | true    | aMOpbGxvIPCfmIA=     |
      | ??>>          | false    | true    | Pz8+Pg==             |
      | ??>>          | true     | false   | Pz8-Pg               |

  Scenario: Decode accepts either alphabet, whitespace and missing padding
    Given the input:
      """
      {"action": "decode", "text": "aMOpbGxv\nIPCfmIA"}
      """
    When the component runs
    Then the output is "héllo 😀"

  Scenario: Round trip through the URL-safe alphabet
    Given the input:
      """
      {"action": "decode", "text": "Pz8-Pg"}
      """
    When the component runs
    Then the output is "??>>"

  Scenario: A character outside Base64 is an error with its position
    Given the input:
      """
      {"action": "decode", "text": "Zm9v*mFy"}
      """
    When the component runs
    Then it fails with code "invalid_base64"
    And the error message contains "'*' at position 4"

  Scenario: Bytes that are not UTF-8 text are refused
    Given the input:
      """
      {"action": "decode", "text": "/w=="}
      """
    When the component runs
    Then it fails with code "not_utf8"

  Scenario: An unknown action is refused by the input schema
    Given the input:
      """
      {"action": "compress", "text": "x"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "action"
