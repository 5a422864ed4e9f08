Feature: uuid generates random version 4 UUIDs

  Scenario: One UUID by default, as a string with version 4 and the RFC 9562 variant
    Given the input:
      """
      {}
      """
    When the component runs
    Then the output matches "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"

  Scenario: A batch of 1000 has no repeats, and its items have the UUID format
    Given the input:
      """
      {"count": 1000, "version": 4}
      """
    When the component runs
    Then the output is a list of 1000 distinct items
    And the output field "0" matches "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
    And the output field "500" matches "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
    And the output field "999" matches "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"

  Scenario: Two UUIDs come as a list
    Given the parameter "count" is 2
    When the component runs
    Then the output is a list of 2 distinct items
    And the output field "1" matches "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"

  Scenario Outline: A count of <count> is refused by the input schema
    Given the parameter "count" is <count>
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "count"

    Examples:
      | count  |
      | 0      |
      | 1001   |
      | 2.5    |
      | "3"    |

  Scenario: Only version 4 is generated
    Given the parameter "version" is 7
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "version"
