Feature: url_parse splits a URL into its parts and decodes its query

  Scenario: Every part of a full URL
    Given the parameter "url" is "https://ada:s3cret@docs.example.com:8443/guide/intro?v=2&tag=a&tag=b#setup"
    When the component runs
    Then the output is:
      """
      {
        "href": "https://ada:s3cret@docs.example.com:8443/guide/intro?v=2&tag=a&tag=b#setup",
        "protocol": "https:",
        "username": "ada",
        "password": "s3cret",
        "host": "docs.example.com:8443",
        "hostname": "docs.example.com",
        "port": "8443",
        "pathname": "/guide/intro",
        "search": "?v=2&tag=a&tag=b",
        "query": {"v": "2", "tag": ["a", "b"]},
        "hash": "#setup"
      }
      """

  Scenario: Normalised as new URL() does: case, default port, dot segments, spaces and non-ASCII in the path
    Given the parameter "url" is "  HTTP://WWW.Example.COM:80/a/./b/../c d/é  "
    When the component runs
    Then the output field "href" is "http://www.example.com/a/c%20d/%C3%A9"
    And the output field "host" is "www.example.com"
    And the output field "port" is ""
    And the output field "pathname" is "/a/c%20d/%C3%A9"
    And the output field "search" is ""
    And the output field "query" is {}

  Scenario: The query is decoded: + is a space, escapes are UTF-8, repeated keys become a list
    Given the parameter "url" is "https://x.io/search?q=caf%C3%A9+cr%C3%A8me&tag=%F0%9F%98%80&tag=b&tag=&flag&bad=%zz&emoji=😀"
    When the component runs
    Then the output field "query" is:
      """
      {"q": "café crème", "tag": ["😀", "b", ""], "flag": "", "bad": "%zz", "emoji": "😀"}
      """
    And the output field "search" is "?q=caf%C3%A9+cr%C3%A8me&tag=%F0%9F%98%80&tag=b&tag=&flag&bad=%zz&emoji=%F0%9F%98%80"

  Scenario Outline: A Unicode host name becomes Punycode: <url>
    Given the parameter "url" is "<url>"
    When the component runs
    Then the output field "hostname" is "<hostname>"

    Examples:
      | url                        | hostname               |
      | https://München.de/straße  | xn--mnchen-3ya.de      |
      | https://例え.jp/           | xn--r8jz45g.jp         |
      | https://МОСКВА.рф/         | xn--80adxhks.xn--p1ai  |
      | https://😀.ws/             | xn--e28h.ws            |

  Scenario: An IPv6 host with a port
    Given the parameter "url" is "http://[2001:DB8::1]:8080/api"
    When the component runs
    Then the output field "hostname" is "[2001:db8::1]"
    And the output field "host" is "[2001:db8::1]:8080"
    And the output field "port" is "8080"

  Scenario: A URL without a host keeps its path as it is
    Given the parameter "url" is "mailto:Ada@Example.com?subject=Hello%20there"
    When the component runs
    Then the output field "protocol" is "mailto:"
    And the output field "host" is ""
    And the output field "pathname" is "Ada@Example.com"
    And the output field "query" is {"subject": "Hello there"}

  Scenario Outline: "<url>" resolved against a base
    Given the input:
      """
      {"url": "<url>", "base": "https://example.com/docs/a/page.html?old=1#top"}
      """
    When the component runs
    Then the output field "href" is "<href>"

    Examples:
      | url                      | href                                              |
      | other.html               | https://example.com/docs/a/other.html             |
      | ../img/ü.png?s=2         | https://example.com/docs/img/%C3%BC.png?s=2       |
      | /root                    | https://example.com/root                          |
      | //cdn.example.org/lib.js | https://cdn.example.org/lib.js                    |
      | ?page=2                  | https://example.com/docs/a/page.html?page=2       |
      | #usage                   | https://example.com/docs/a/page.html?old=1#usage  |
      | https://other.org/x      | https://other.org/x                               |

  Scenario Outline: Not a usable URL: <why>
    Given the input:
      """
      {"url": "<url>"}
      """
    When the component runs
    Then it fails with code "invalid_url"
    And the error message contains "<message>"

    Examples:
      | why                      | url                        | message                                               |
      | no scheme                | not a url                  | 'not a url' has no scheme (a relative URL needs base) |
      | a relative path          | /docs/page                 | has no scheme                                         |
      | empty                    |                            | invalid url: it is empty                              |
      | no host                  | https://                   | the host is missing after https://                    |
      | a space in the host      | https://exa mple.com/      | contains a space or control character                 |
      | a forbidden character    | https://a<b.com/           | the host 'a<b.com' contains '<'                       |
      | a port that is not a number | https://x.com:8o8o/     | the port '8o8o' is not a number                       |
      | a port past 65535        | https://x.com:65536/       | the port 65536 is over 65535                          |
      | an unclosed IPv6 address | http://[::1/               | has no closing ']'                                    |

  Scenario: A bad base is named in the error
    Given the input:
      """
      {"url": "page.html", "base": "example.com/docs/"}
      """
    When the component runs
    Then it fails with code "invalid_url"
    And the error message contains "invalid base: 'example.com/docs/' has no scheme"
    And the error details are:
      """
      {"field": "base"}
      """

  Scenario: The url is required
    Given the input:
      """
      {"base": "https://example.com/"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "url: is required"
