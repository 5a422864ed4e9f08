Feature: hash returns the SHA-256, SHA-1 or MD5 digest of a text's UTF-8 bytes

  # Expected digests: FIPS 180 / RFC 1321 test vectors, checked against Node's crypto.createHash.
  # The 56-byte message needs a second padding block; the 130-byte one spans three blocks.
  Scenario Outline: <algorithm> of "<text>" in hex
    Given the input:
      """
      {"text": "<text>", "algorithm": "<algorithm>"}
      """
    When the component runs
    Then the output is "<digest>"

    Examples:
      | algorithm | text | digest |
      | sha256 |  | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 |
      | sha256 | abc | ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad |
      | sha256 | abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq | 248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1 |
      | sha256 | The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. | ee8c60817f23db46faad1d40244cf8598916eb84c98e3df4109fceca7787e663 |
      | sha256 | héllo wörld 😀 日本語 | 540551ef27e7b2ce565e46dcea8fad94be1d1cdf899908879e9962c11c1d2426 |
      | sha1 |  | da39a3ee5e6b4b0d3255bfef95601890afd80709 |
      | sha1 | abc | a9993e364706816aba3e25717850c26c9cd0d89d |
      | sha1 | abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq | 84983e441c3bd26ebaae4aa1f95129e5e54670f1 |
      | sha1 | The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. | 05da125ff27e9268cd0d0f1ff743d597c4f69be5 |
      | sha1 | héllo wörld 😀 日本語 | 94d9c65b7f870e14c62d786b4a33801a21469a22 |
      | md5 |  | d41d8cd98f00b204e9800998ecf8427e |
      | md5 | abc | 900150983cd24fb0d6963f7d28e17f72 |
      | md5 | abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq | 8215ef0796a20bcaaae116d3876c664a |
      | md5 | The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. | d82f085e5b26156f9f5c9a44917f7215 |
      | md5 | héllo wörld 😀 日本語 | 3e7bb0696572ae81c8d12dbdb3693961 |

  Scenario Outline: <algorithm> of "<text>" in Base64
    Given the input:
      """
      {"text": "<text>", "algorithm": "<algorithm>", "encoding": "base64"}
      """
    When the component runs
    Then the output is "<digest>"

    Examples:
      | algorithm | text | digest |
      | sha256 | abc | ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0= |
      | sha256 | héllo wörld 😀 日本語 | VAVR7yfnss5WXkbc6o+tlL4dHN+JmQiHnpliwRwdJCY= |
      | sha1 | abc | qZk+NkcGgWq6PiVxeFDCbJzQ2J0= |
      | sha1 | héllo wörld 😀 日本語 | lNnGW3+HDhTGLXhrSjOAGiFGmiI= |
      | md5 | abc | kAFQmDzST7DWlj99KOF/cg== |
      | md5 | héllo wörld 😀 日本語 | PnuwaWVyroHI0S29s2k5YQ== |

  Scenario: SHA-256 in hex is the default
    Given the parameter "text" is "abc"
    When the component runs
    Then the output is "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

  Scenario: 300 bytes of "a" span five blocks
    Given the parameter "text" is "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    When the component runs
    Then the output is "9835fa6bf4e20a9b9ea812506302e98982721a6cf8d2cae67af57129bf21ae90"

  Scenario: An unknown algorithm is refused by the input schema
    Given the input:
      """
      {"text": "abc", "algorithm": "sha512"}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "algorithm"

  Scenario: The text must be a string
    Given the input:
      """
      {"text": 42}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "text"
