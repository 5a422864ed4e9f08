Feature: url_encode percent-encodes text for URLs and decodes it back

  Scenario Outline: Encode "<text>" in <mode> mode
    Given the input:
      """
      {"text": "<text>", "mode": "<mode>"}
      """
    When the component runs
    Then the output is "<encoded>"

    Examples:
      | text                    | mode      | encoded                                       |
      | a b&c=d/é?              | component | a%20b%26c%3Dd%2F%C3%A9%3F                     |
      | -_.!~*'()               | component | -_.!~*'()                                     |
      | https://x.io/a b?q=ü#f  | uri       | https://x.io/a%20b?q=%C3%BC#f                 |
      | a b+c~!'()*             | form      | a+b%2Bc%7E%21%27%28%29*                       |
      | 😀 日本                 | component | %F0%9F%98%80%20%E6%97%A5%E6%9C%AC             |
      |                         | component |                                               |

  Scenario Outline: Decode "<text>" in <mode> mode
    Given the input:
      """
      {"text": "<text>", "action": "decode", "mode": "<mode>"}
      """
    When the component runs
    Then the output is "<decoded>"

    Examples:
      | text                              | mode      | decoded            |
      | a%20b%26c%3dd%2F%C3%A9+           | component | a b&c=d/é+         |
      | a+b%2Bc                           | form      | a b+c              |
      | %F0%9F%98%80%E6%97%A5 ok          | component | 😀日 ok            |
      | /a%20b%2Fc%3F?x=%C3%BC            | uri       | /a b%2Fc%3F?x=ü    |
      | déjà vu                           | component | déjà vu            |

  Scenario: A lone surrogate cannot be encoded
    Given the input:
      """
      {"text": "ab\ud800c"}
      """
    When the component runs
    Then it fails with code "malformed_uri"
    And the error message contains "position 2"

  Scenario Outline: Malformed input to decode: <why>
    Given the input:
      """
      {"text": "<text>", "action": "decode"}
      """
    When the component runs
    Then it fails with code "malformed_uri"
    And the error message contains "<message>"
    And the error details are:
      """
      {"position": <position>}
      """

    Examples:
      | why                          | text          | message                                  | position |
      | a bare percent sign          | 100%          | '%' not followed by two hex digits       | 3        |
      | a non-hex digit              | ab%4g         | '%' not followed by two hex digits       | 2        |
      | a truncated sequence         | x%C3          | incomplete UTF-8 sequence                | 1        |
      | a bad continuation byte      | x%C3%28       | invalid UTF-8 sequence                   | 1        |
      | an overlong encoding         | %C0%AF        | invalid UTF-8 lead byte %C0              | 0        |
      | an encoded surrogate         | é%ED%A0%80    | invalid UTF-8 sequence                   | 1        |
      | a code point past U+10FFFF   | %F4%90%80%80  | invalid UTF-8 sequence                   | 0        |

  Scenario: An unknown mode is refused by the input schema
    Given the input:
      """
      {"text": "x", "mode": "base64"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "mode"
