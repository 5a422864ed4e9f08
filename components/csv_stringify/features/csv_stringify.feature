Feature: csv_stringify writes records as CSV text

  Scenario: Objects become a header row and one line per record
    Given the parameter "rows" is [{"name": "Ada", "age": 36, "admin": true}, {"name": "Alan", "age": 41.5, "admin": false}]
    When the component runs
    Then the output is "name,age,admin\nAda,36,true\nAlan,41.5,false\n"

  Scenario: Keys first seen in later rows become new columns; missing and null cells are empty
    Given the parameter "rows" is [{"a": 1}, {"b": 2, "a": null}, {"c": 3}]
    When the component runs
    Then the output is "a,b,c\n1,,\n,2,\n,,3\n"

  Scenario: Fields with the delimiter, quotes, line breaks or outer spaces are quoted
    Given the parameter "rows" is [{"text": "a,b"}, {"text": "say \"hi\""}, {"text": "two\nlines"}, {"text": " padded "}, {"text": "plain"}, {"text": ""}]
    When the component runs
    Then the output is "text\n\"a,b\"\n\"say \"\"hi\"\"\"\n\"two\nlines\"\n\" padded \"\nplain\n\"\"\n"

  Scenario: columns choose and order the fields; nested values are written as JSON
    Given the input:
      """
      {"rows": [{"id": 7, "tags": ["x", "y"], "meta": {"k": "v"}, "secret": "s"}], "columns": ["meta", "id", "tags"]}
      """
    When the component runs
    Then the output is "meta,id,tags\n\"{\"\"k\"\":\"\"v\"\"}\",7,\"[\"\"x\"\",\"\"y\"\"]\"\n"

  Scenario: Lists are written in order, with another delimiter, CRLF and no header
    Given the input:
      """
      {"rows": [["a", "b;c", 1], ["d", null, false]], "delimiter": ";", "line_ending": "\r\n", "header": false}
      """
    When the component runs
    Then the output is "a;\"b;c\";1\r\nd;;false\r\n"

  Scenario: Lists get a header only from columns
    Given the input:
      """
      {"rows": [[1, 2]], "columns": ["x", "y"]}
      """
    When the component runs
    Then the output is "x,y\n1,2\n"

  Scenario: No rows give an empty text
    Given the parameter "rows" is []
    When the component runs
    Then the output is ""

  Scenario: A row that is neither an object nor a list is refused
    Given the parameter "rows" is [{"a": 1}, "oops"]
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "rows.1"

  Scenario: Only LF and CRLF line endings are accepted
    Given the input:
      """
      {"rows": [], "line_ending": ";"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "line_ending"
