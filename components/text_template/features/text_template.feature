Feature: text_template renders a Mustache template with data

  Scenario: Variables and dotted names, with Unicode text
    Given the input:
      """
      {"template": "Bonjour {{ user.name }} 👋, {{count}} messages pour {{user.city.name}}",
       "data": {"user": {"name": "Zoë", "city": {"name": "Saint-Étienne"}}, "count": 3}}
      """
    When the component runs
    Then the output is "Bonjour Zoë 👋, 3 messages pour Saint-Étienne"

  Scenario: Output is plain text by default; escape_html escapes {{name}} but never {{{raw}}} or {{& raw}}
    Given the input:
      """
      {"template": "{{v}} | {{{v}}} | {{& v}}", "data": {"v": "<b>\"Tom\" & 'Jerry'</b>"}, "escape_html": true}
      """
    When the component runs
    Then the output is "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt; | <b>\"Tom\" & 'Jerry'</b> | <b>\"Tom\" & 'Jerry'</b>"

  Scenario: Without escape_html the text is left as it is
    Given the input:
      """
      {"template": "{{v}}", "data": {"v": "a < b && c > d"}}
      """
    When the component runs
    Then the output is "a < b && c > d"

  Scenario: A list section repeats for each item, and section tags alone on a line leave no blank line
    Given the input:
      """
      {"template": "Tags:\n{{#tags}}\n  - {{.}}\n{{/tags}}\nend", "data": {"tags": ["日本", "😀", 42]}}
      """
    When the component runs
    Then the output is "Tags:\n  - 日本\n  - 😀\n  - 42\nend"

  Scenario: A list of objects; names not found in the item come from the outer context
    Given the input:
      """
      {"template": "{{#people}}{{name}} ({{team}}){{^last}}, {{/last}}{{/people}}",
       "data": {"team": "core", "people": [{"name": "Ana"}, {"name": "Bo", "team": "web"}, {"name": "Cy", "last": true}]}}
      """
    When the component runs
    Then the output is "Ana (core), Bo (web), Cy (core)"

  Scenario Outline: A section with <what> is <effect>
    Given the input:
      """
      {"template": "[{{#v}}yes{{/v}}{{^v}}no{{/v}}]", "data": {"v": <value>}}
      """
    When the component runs
    Then the output is "[<output>]"

    Examples:
      | what            | value   | effect   | output |
      | true            | true    | rendered | yes    |
      | a non-empty text | "x"    | rendered | yes    |
      | an empty object | {}      | rendered | yes    |
      | false           | false   | skipped  | no     |
      | null            | null    | skipped  | no     |
      | zero            | 0       | skipped  | no     |
      | an empty text   | ""      | skipped  | no     |
      | an empty list   | []      | skipped  | no     |

  Scenario: An object section becomes the context; comments render nothing
    Given the input:
      """
      {"template": "{{! greeting }}{{#user}}{{first}} {{last}}{{/user}}", "data": {"user": {"first": "Ada", "last": "Lovelace"}}}
      """
    When the component runs
    Then the output is "Ada Lovelace"

  Scenario: Numbers, booleans, objects and list items by index
    Given the input:
      """
      {"template": "{{n}} {{f}} {{big}} {{ok}} {{obj}} {{list.1}} {{nothing}}", "data": {"n": 2, "f": 0.5, "big": 1e21, "ok": false, "obj": {"a": [1]}, "list": ["x", "y"], "nothing": null}}
      """
    When the component runs
    Then the output is "2 0.5 1e+21 false {\"a\":[1]} y "

  Scenario: A missing variable renders nothing by default
    Given the input:
      """
      {"template": "Hi {{name}}{{user.nick}}!", "data": {"user": {}}}
      """
    When the component runs
    Then the output is "Hi !"

  Scenario: Strict mode fails on a missing variable, naming it and its position
    Given the input:
      """
      {"template": "😀 Hi\n  {{user.nick}}", "data": {"user": {"name": "Ada"}}, "strict": true}
      """
    When the component runs
    Then it fails with code "missing_variable"
    And the error message contains "missing variable 'user.nick' at position 8 (line 2, column 3)"
    And the error details are:
      """
      {"name": "user.nick", "position": 8}
      """

  Scenario: Other delimiters keep the template clear of the workflow's own {{…}}
    Given the input:
      """
      {"template": "[[name]] and {{kept}} [[={| |}=]]{|name|}", "delimiters": ["[[", "]]"], "data": {"name": "Ada"}}
      """
    When the component runs
    Then the output is "Ada and {{kept}} Ada"

  Scenario: A section that is never closed is a syntax error with its position
    Given the input:
      """
      {"template": "é {{#items}}{{.}}", "data": {}}
      """
    When the component runs
    Then it fails with code "template_syntax"
    And the error message contains "section 'items' is never closed"
    And the error message contains "position 2 (line 1, column 3)"
    And the error details are:
      """
      {"position": 2}
      """

  Scenario: A section closed by another name is a syntax error
    Given the input:
      """
      {"template": "{{#a}}\n{{#b}}x{{/a}}{{/b}}"}
      """
    When the component runs
    Then it fails with code "template_syntax"
    And the error message contains "section 'b' (opened at position 7) is closed by 'a' at position 14 (line 2, column 8)"

  Scenario Outline: Other syntax errors: <why>
    Given the parameter "template" is "<template>"
    When the component runs
    Then it fails with code "template_syntax"
    And the error message contains "<message>"

    Examples:
      | why                   | template          | message                                          |
      | an unclosed tag       | Hi {{name         | unclosed tag '{{': no '}}' after it at position 3 |
      | a stray closing tag   | x{{/a}}           | closing tag for 'a' without an open section      |
      | an empty tag          | {{ }}             | empty tag at position 0                          |
      | a partial             | {{> header}}      | partials ({{> name}}) are not supported          |

  Scenario: The template is required
    Given the parameter "data" is {"a": 1}
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "template: is required"
