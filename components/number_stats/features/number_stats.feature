Feature: number_stats summarises a list of numbers

  # Expected values from numpy 2.4 (mean, median, var, std, percentile with its default "linear"
  # method); sums from Python's math.fsum.
  Scenario: Every statistic, with percentiles interpolated like numpy.percentile
    Given the input:
      """
      {"values": [3, 1, 4, 1, 5, 9, 2, 6], "percentiles": [0, 25, 50, 90, 99.9, 100]}
      """
    When the component runs
    Then the output is:
      """
      {"count": 8, "sum": 31, "mean": 3.875, "median": 3.5, "min": 1, "max": 9,
       "variance": 6.609375, "stddev": 2.5708704751503917,
       "p0": 1, "p25": 1.75, "p50": 3.5, "p90": 6.8999999999999995, "p99.9": 8.979000000000001, "p100": 9}
      """

  Scenario: Population statistics by default, sample statistics on request
    Given the input:
      """
      {"values": [2, 4, 4, 4, 5, 5, 7, 9], "sample": true, "percentiles": [10, 75]}
      """
    When the component runs
    Then the output field "median" is 4.5
    And the output field "variance" is 4.571428571428571
    And the output field "stddev" is 2.138089935299395
    And the output field "p10" is 3.4000000000000004
    And the output field "p75" is 5.5

  Scenario: The population standard deviation of the textbook example is 2
    Given the parameter "values" is [2, 4, 4, 4, 5, 5, 7, 9]
    When the component runs
    Then the output field "variance" is 4
    And the output field "stddev" is 2

  Scenario: Decimals add up without drift (compensated sum)
    Given the parameter "values" is [0.1, 0.2, 0.3]
    When the component runs
    Then the output field "sum" is 0.6
    And the output field "mean" is 0.19999999999999998

  Scenario: No numbers give a count of 0, a sum of 0 and nulls
    Given the input:
      """
      {"values": [], "percentiles": [50]}
      """
    When the component runs
    Then the output is:
      """
      {"count": 0, "sum": 0, "mean": null, "median": null, "min": null, "max": null, "variance": null, "stddev": null, "p50": null}
      """

  Scenario: The sample variance of one number is null
    Given the input:
      """
      {"values": [42], "sample": true, "percentiles": [90]}
      """
    When the component runs
    Then the output is:
      """
      {"count": 1, "sum": 42, "mean": 42, "median": 42, "min": 42, "max": 42, "variance": null, "stddev": null, "p90": 42}
      """

  Scenario: A value that is not a number fails, naming its index
    Given the parameter "values" is [1, 2, "3", 4]
    When the component runs
    Then it fails with code "not_a_number"
    And the error message contains "values[2] is string"
    And the error details are:
      """
      {"index": 2}
      """

  Scenario: Items that are not numbers can be skipped
    Given the input:
      """
      {"values": [1, "x", null, 3, {"n": 5}, -2.5], "ignore_non_numeric": true}
      """
    When the component runs
    Then the output field "count" is 3
    And the output field "sum" is 1.5
    And the output field "min" is -2.5
    And the output field "median" is 1

  Scenario: A percentile above 100 is refused by the input schema
    Given the input:
      """
      {"values": [1, 2], "percentiles": [50, 101]}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "percentiles"

  Scenario: The median is the mean of the two middle numbers (numpy.median), p50 interpolates (numpy.percentile)
    Given the input:
      """
      {"values": [0.2, -0.1], "percentiles": [50]}
      """
    When the component runs
    Then the output field "median" is 0.05
    And the output field "p50" is 0.04999999999999999
