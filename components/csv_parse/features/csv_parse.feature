Feature: csv_parse reads CSV text (RFC 4180) into records

  Scenario: A header row names the fields of every record
    Given the parameter "text" is "name,age,city\nAda,36,London\nAlan,41,Wilmslow\n"
    When the component runs
    Then the output is:
      """
      [{"name": "Ada", "age": "36", "city": "London"}, {"name": "Alan", "age": "41", "city": "Wilmslow"}]
      """

  Scenario: Quoted fields hold delimiters, doubled quotes and line breaks; CRLF and LF both end records
    Given the parameter "text" is "id,note\r\n1,\"Hello, \"\"world\"\"\"\r\n2,\"two\nlines\"\n3,\"\"\r\n"
    When the component runs
    Then the output is:
      """
      [{"id": "1", "note": "Hello, \"world\""}, {"id": "2", "note": "two\nlines"}, {"id": "3", "note": ""}]
      """

  Scenario: Without a header, records are lists; another delimiter; empty lines kept on request
    Given the input:
      """
      {"text": "a;b;c\n\n1;;3\n;", "header": false, "delimiter": ";", "skip_empty_lines": false}
      """
    When the component runs
    Then the output is:
      """
      [["a", "b", "c"], [""], ["1", "", "3"], ["", ""]]
      """

  Scenario: Empty lines are skipped by default, a byte order mark is ignored, and no final line break is needed
    Given the parameter "text" is "\ufeffk,v\n\n\r\nx,1\n\ny,2"
    When the component runs
    Then the output is:
      """
      [{"k": "x", "v": "1"}, {"k": "y", "v": "2"}]
      """

  Scenario: Trim removes spaces around fields and around quotes, but not inside them
    Given the input:
      """
      {"text": " a , b \n  1 ,  \" x \"  \n", "trim": true}
      """
    When the component runs
    Then the output is:
      """
      [{"a": "1", "b": " x "}]
      """

  Scenario: Without trim, spaces are part of the fields
    Given the input:
      """
      {"text": " a ,b\n 1 , 2", "header": false}
      """
    When the component runs
    Then the output is:
      """
      [[" a ", "b"], [" 1 ", " 2"]]
      """

  Scenario: Missing trailing fields are null
    Given the parameter "text" is "a,b,c\n1,2\n"
    When the component runs
    Then the output is:
      """
      [{"a": "1", "b": "2", "c": null}]
      """

  Scenario: An unterminated quote fails, naming where the quoted field starts
    Given the parameter "text" is "a,b\n1,2\n3,\"four\n5,6\n"
    When the component runs
    Then it fails with code "csv_syntax"
    And the error message contains "line 3, column 3"
    And the error message contains "never closed"
    And the error details are:
      """
      {"line": 3, "column": 3}
      """

  Scenario: A record with more fields than the header fails in strict mode, naming the first extra field
    Given the parameter "text" is "a,b\n1,2\n3,4,5\n"
    When the component runs
    Then it fails with code "csv_syntax"
    And the error message contains "line 3, column 5: 3 fields but the header has 2"

  Scenario: Line numbers count the line breaks inside quoted fields
    Given the parameter "text" is "a,b\n\"multi\nline\",2,extra\n"
    When the component runs
    Then it fails with code "csv_syntax"
    And the error details are:
      """
      {"line": 3, "column": 9}
      """

  Scenario: strict false drops the extra fields
    Given the input:
      """
      {"text": "a,b\n1,2,3\n", "strict": false}
      """
    When the component runs
    Then the output is:
      """
      [{"a": "1", "b": "2"}]
      """

  Scenario: Text after a closing quote is an error
    Given the parameter "text" is "a,b\n\"x\"y,2\n"
    When the component runs
    Then it fails with code "csv_syntax"
    And the error message contains "line 2, column 4"

  Scenario: The delimiter is one character
    Given the input:
      """
      {"text": "a", "delimiter": "::"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "delimiter"
