Feature: split_text splits a text at a separator

  Scenario: Lines by default
    Given the parameter "text" is "first\nsecond\n\nfourth"
    When the component runs
    Then the output is ["first", "second", "", "fourth"]

  Scenario: Trim the items and leave out the empty ones
    Given the input:
      """
      {"text": " a , b ,, c ,", "separator": ",", "trim": true, "remove_empty": true}
      """
    When the component runs
    Then the output is ["a", "b", "c"]

  Scenario: Trim removes Unicode spaces too
    Given the input:
      """
      {"text": "\u00a0héllo\u3000|\u2003wörld ", "separator": "|", "trim": true}
      """
    When the component runs
    Then the output is ["héllo", "wörld"]

  Scenario: A multi-character separator is matched literally
    Given the input:
      """
      {"text": "a.*b.*c", "separator": ".*"}
      """
    When the component runs
    Then the output is ["a", "b", "c"]

  Scenario: The empty separator splits into code points: an emoji stays whole, a flag is two code points
    Given the input:
      """
      {"text": "a😀é🇫🇷", "separator": ""}
      """
    When the component runs
    Then the output is ["a", "😀", "é", "🇫", "🇷"]

  Scenario: Limit keeps the first items, counted after remove_empty
    Given the input:
      """
      {"text": ",x,,y,z", "separator": ",", "remove_empty": true, "limit": 2}
      """
    When the component runs
    Then the output is ["x", "y"]

  Scenario: Limit 0 gives an empty list
    Given the input:
      """
      {"text": "a,b", "separator": ",", "limit": 0}
      """
    When the component runs
    Then the output is []

  Scenario: Empty text with remove_empty gives no items
    Given the input:
      """
      {"text": "", "separator": ",", "remove_empty": true}
      """
    When the component runs
    Then the output is []

  Scenario: A negative limit is refused by the input schema
    Given the input:
      """
      {"text": "a,b", "separator": ",", "limit": -1}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "limit"

  Scenario: The text must be a string
    Given the input:
      """
      {"text": ["a", "b"]}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "text"
