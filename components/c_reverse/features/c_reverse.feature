Feature: c_reverse reverses a text by code point (a C component)

  Scenario: ASCII text
    Given the parameter "text" is "stressed"
    When the component runs
    Then the output is "desserts"

  Scenario: Accents, CJK and emoji stay whole
    Given the parameter "text" is "héllo 日本 😀!"
    When the component runs
    Then the output is "!😀 本日 olléh"

  Scenario: Escapes survive the round trip
    Given the input:
      """
      {"text": "a\"b\\c\nd\u0001"}
      """
    When the component runs
    Then the output is "\u0001d\nc\\b\"a"

  Scenario: An empty text is the component's own error
    Given the parameter "text" is ""
    When the component runs
    Then it fails with code "empty_text"
    And the error message contains "nothing to reverse"

  Scenario: A missing text is refused by the input schema
    Given the input:
      """
      {"word": "x"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "text: is required"
