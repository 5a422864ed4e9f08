Feature: rust_wordcount
  Counts words, lines and characters, and the most frequent words.

  Scenario: counts a short text
    Given the parameter "text" is "the cat and the hat\nThe end"
    When the component runs
    Then it succeeds
    And the output is:
      """
      {"words": 7, "lines": 2, "characters": 27, "top": [{"word": "the", "count": 3}, {"word": "and", "count": 1}, {"word": "cat", "count": 1}]}
      """

  Scenario: non-ASCII text and escapes
    Given the input:
      """
      {"text": "héllo wörld \"héllo\" \u00e9t\u00e9 😀", "top": 1}
      """
    When the component runs
    Then the output field "words" is 4
    And the output field "characters" is 25
    And the output field "top" is:
      """
      [{"word": "héllo", "count": 2}]
      """

  Scenario: an empty text has no words
    Given the parameter "text" is ""
    When the component runs
    Then the output is:
      """
      {"words": 0, "lines": 0, "characters": 0, "top": []}
      """

  Scenario: require_words fails on a text without words
    Given the input:
      """
      {"text": " ... ", "require_words": true}
      """
    When the component runs
    Then it fails with code "no_words"
    And the error message contains "no words"

  Scenario: top is checked against the contract before the module runs
    Given the input:
      """
      {"text": "a", "top": 1000}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "top"
