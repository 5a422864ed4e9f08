Feature: hmac_sign signs a message with HMAC-SHA256 or HMAC-SHA1

  # RFC 4231 (HMAC-SHA256) and RFC 2202 (HMAC-SHA1) test cases whose data is text; their binary
  # keys are given in hex. Cases with a key longer than the 64-byte block hash the key first.
  Scenario Outline: RFC test case: HMAC-<algorithm> with a <bytes>-byte key
    Given the input:
      """
      {"message": "<message>", "key": "<key>", "key_encoding": "hex", "algorithm": "<algorithm>"}
      """
    When the component runs
    Then the output is "<signature>"

    Examples:
      | algorithm | bytes | key | message | signature |
      | sha256 | 20 | 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b | Hi There | b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7 |
      | sha256 | 4 | 4a656665 | what do ya want for nothing? | 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 |
      | sha256 | 131 | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | Test Using Larger Than Block-Size Key - Hash Key First | 60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54 |
      | sha256 | 131 | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm. | 9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2 |
      | sha1 | 20 | 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b | Hi There | b617318655057264e28bc0b6fb378c8ef146be00 |
      | sha1 | 4 | 4A656665 | what do ya want for nothing? | effcdf6ae5eb2fa2d27416d5f184df9c259a7c79 |
      | sha1 | 80 | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | Test Using Larger Than Block-Size Key - Hash Key First | aa4ae5e15272d00e95705637ce8a3b55ed402112 |
      | sha1 | 80 | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data | e8e99d0f45237d786d6bbaa7965c7808bbff1a91 |

  Scenario: A text key is used as its UTF-8 bytes (RFC 4231 case 2 with the key "Jefe")
    Given the input:
      """
      {"message": "what do ya want for nothing?", "key": "Jefe"}
      """
    When the component runs
    Then the output is "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

  Scenario: A control-character text key equals the same bytes in hex (RFC 4231 case 1)
    Given the input:
      """
      {"message": "Hi There", "key": "\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b\u000b"}
      """
    When the component runs
    Then the output is "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"

  Scenario: A 73-byte UTF-8 key and a non-ASCII message, in Base64 (checked with Node's createHmac)
    Given the input:
      """
      {"message": "héllo 😀", "key": "my-webhook-signing-secret-that-is-longer-than-sixty-four-bytes-in-utf8-é", "encoding": "base64"}
      """
    When the component runs
    Then the output is "i5xB82p9dgEsP1dHLrHGdRWnmvCDKKo/bePfxoFB3I8="

  Scenario: HMAC-SHA1 of an empty message in Base64
    Given the input:
      """
      {"message": "", "key": "whsec", "algorithm": "sha1", "encoding": "base64"}
      """
    When the component runs
    Then the output is "K8fv7wMZ2NETLiLJrMGQmG3II84="

  Scenario: A Base64 key is decoded to its bytes
    Given the input:
      """
      {"message": "Hi There", "key": "CwsLCwsLCwsLCwsLCwsLCwsLCws=", "key_encoding": "base64"}
      """
    When the component runs
    Then the output is "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"

  Scenario: A hex key with a non-hex character is refused, naming the position
    Given the input:
      """
      {"message": "x", "key": "0b0g", "key_encoding": "hex"}
      """
    When the component runs
    Then it fails with code "invalid_key"
    And the error message contains "position 3"

  Scenario: The key is required
    Given the input:
      """
      {"message": "x"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "key"

  Scenario: MD5 is not offered for signing
    Given the input:
      """
      {"message": "x", "key": "k", "algorithm": "md5"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "algorithm"
