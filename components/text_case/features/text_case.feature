Feature: text_case changes the case of a text

  Scenario: Upper case by default, with full Unicode mapping
    Given the parameter "text" is "Straße, héllo"
    When the component runs
    Then the output is "STRASSE, HÉLLO"

  Scenario Outline: Word-based cases
    Given the input:
      """
      {"text": "<text>", "case": "<case>"}
      """
    When the component runs
    Then the output is "<result>"

    Examples:
      | text                  | case  | result                |
      | helloWorld XMLParser  | snake | hello_world_xml_parser |
      | Hello, big   world!   | kebab | hello-big-world        |
      | user_id-from API      | camel | userIdFromApi          |
      | the QUICK brown fox   | title | The Quick Brown Fox    |
      | ÉCOLE été             | lower | école été              |

  Scenario: Emoji and other astral characters survive
    Given the input:
      """
      {"text": "😀 smile 😀", "case": "title"}
      """
    When the component runs
    Then the output is "😀 Smile 😀"

  Scenario: An unknown case is refused before the component runs
    Given the input:
      """
      {"text": "abc", "case": "shouty"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "case"

  Scenario: The text is required
    Given the input:
      """
      {"case": "upper"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "text: is required"
