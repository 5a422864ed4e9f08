Feature: chunk_text cuts a long text into chunks for AI pipelines

  Scenario: Cuts at whitespace by default, and the chunks join back into the text
    Given the input:
      """
      {"text": "one two three four five", "size": 10}
      """
    When the component runs
    Then the output is:
      """
      [
        {"index": 0, "text": "one two ", "start": 0, "end": 8},
        {"index": 1, "text": "three four", "start": 8, "end": 18},
        {"index": 2, "text": " five", "start": 18, "end": 23}
      ]
      """

  Scenario: Overlap repeats the end of the previous chunk, starting at a word
    Given the input:
      """
      {"text": "alpha beta gamma delta", "size": 12, "overlap": 6}
      """
    When the component runs
    Then the output is:
      """
      [
        {"index": 0, "text": "alpha beta ", "start": 0, "end": 11},
        {"index": 1, "text": "beta gamma ", "start": 6, "end": 17},
        {"index": 2, "text": "gamma delta", "start": 11, "end": 22}
      ]
      """

  Scenario: Sentence mode cuts after the last sentence end in the window
    Given the input:
      """
      {"text": "Hi there. How are you? I am fine.", "size": 25, "break_on": "sentence"}
      """
    When the component runs
    Then the output is:
      """
      [
        {"index": 0, "text": "Hi there. How are you? ", "start": 0, "end": 23},
        {"index": 1, "text": "I am fine.", "start": 23, "end": 33}
      ]
      """

  Scenario: Sentence mode knows Japanese full stops, which have no space after them
    Given the input:
      """
      {"text": "今日は晴れ。明日は雨？多分。", "size": 6, "break_on": "sentence"}
      """
    When the component runs
    Then the output is:
      """
      [
        {"index": 0, "text": "今日は晴れ。", "start": 0, "end": 6},
        {"index": 1, "text": "明日は雨？", "start": 6, "end": 11},
        {"index": 2, "text": "多分。", "start": 11, "end": 14}
      ]
      """

  Scenario: A word longer than the size is cut exactly
    Given the input:
      """
      {"text": "abcdefghij", "size": 4}
      """
    When the component runs
    Then the output is:
      """
      [
        {"index": 0, "text": "abcd", "start": 0, "end": 4},
        {"index": 1, "text": "efgh", "start": 4, "end": 8},
        {"index": 2, "text": "ij", "start": 8, "end": 10}
      ]
      """

  Scenario: An exact cut never splits a surrogate pair; offsets count UTF-16 units
    Given the input:
      """
      {"text": "ab😀cd", "size": 3, "break_on": "none"}
      """
    When the component runs
    Then the output is:
      """
      [
        {"index": 0, "text": "ab", "start": 0, "end": 2},
        {"index": 1, "text": "😀c", "start": 2, "end": 5},
        {"index": 2, "text": "d", "start": 5, "end": 6}
      ]
      """

  Scenario: With size 1 an emoji is kept whole in its own chunk
    Given the input:
      """
      {"text": "😀x", "size": 1, "break_on": "none"}
      """
    When the component runs
    Then the output is:
      """
      [
        {"index": 0, "text": "😀", "start": 0, "end": 2},
        {"index": 1, "text": "x", "start": 2, "end": 3}
      ]
      """

  Scenario: An overlap starting inside a surrogate pair takes the whole pair
    Given the input:
      """
      {"text": "ab😀cdef", "size": 4, "overlap": 1, "break_on": "none"}
      """
    When the component runs
    Then the output is:
      """
      [
        {"index": 0, "text": "ab😀", "start": 0, "end": 4},
        {"index": 1, "text": "😀cd", "start": 2, "end": 6},
        {"index": 2, "text": "def", "start": 5, "end": 8}
      ]
      """

  Scenario: An empty text has no chunks
    Given the input:
      """
      {"text": "", "size": 100}
      """
    When the component runs
    Then the output is []

  Scenario: The overlap must be less than the size
    Given the input:
      """
      {"text": "some text", "size": 5, "overlap": 5}
      """
    When the component runs
    Then it fails with code "invalid_overlap"
    And the error message contains "overlap (5) must be less than size (5)"

  Scenario: The size must be at least 1
    Given the input:
      """
      {"text": "some text", "size": 0}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "size"

  Scenario: The size is required
    Given the input:
      """
      {"text": "some text"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "size: is required"
