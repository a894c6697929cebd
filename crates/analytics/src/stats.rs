//! The few statistics the KPIs use, each defined exactly:
//!
//! - **median**: the middle value of the sorted values; with an even count,
//!   the mean of the two middle values, rounded down to the millisecond;
//! - **p90** (any percentile `p`): nearest rank, the value at position
//!   `ceil(p/100 × n)` of the sorted values (1-based), i.e. the smallest value
//!   that at least `p`% of the values do not exceed;
//! - **mean**: the arithmetic mean;
//! - **rate**: `numerator / denominator` as a percentage, `None` when the
//!   denominator is zero (a rate of nothing is not 0%).
//!
//! Empty inputs give `None`, never 0.

use serde::Serialize;

/// Sorts in place and summarises. `values` are durations or scores.
pub fn summary(values: &mut [i64]) -> Summary {
    values.sort_unstable();
    Summary { count: values.len() as i64, median: median_sorted(values), p90: percentile_sorted(values, 90), mean: mean(values) }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Summary {
    pub count: i64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
    pub mean: Option<f64>,
}

/// The median of sorted values (see the module docs).
pub fn median_sorted(v: &[i64]) -> Option<i64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    if n % 2 == 1 {
        Some(v[n / 2])
    } else {
        Some(((i128::from(v[n / 2 - 1]) + i128::from(v[n / 2])).div_euclid(2)) as i64)
    }
}

/// The nearest-rank percentile `p` (1..=100) of sorted values.
pub fn percentile_sorted(v: &[i64], p: u32) -> Option<i64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    let p = p.clamp(1, 100) as usize;
    let rank = (p * n).div_ceil(100).max(1);
    Some(v[rank - 1])
}

pub fn mean(v: &[i64]) -> Option<f64> {
    if v.is_empty() {
        None
    } else {
        Some(v.iter().map(|&x| x as f64).sum::<f64>() / v.len() as f64)
    }
}

/// `numerator / denominator × 100`; `None` for an empty denominator.
pub fn rate(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 * 100.0 / denominator as f64)
}

/// Rounds to one decimal place, for display and JSON.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_percentiles_by_hand() {
        // Odd count: the middle one.
        assert_eq!(summary(&mut [5, 1, 3]).median, Some(3));
        // Even count: the mean of 3 and 4, rounded down.
        assert_eq!(summary(&mut [4, 1, 3, 10]).median, Some(3));
        assert_eq!(summary(&mut [4, 2, 6, 10]).median, Some(5));
        // p90 of ten values 1..=10: rank ceil(0.9 × 10) = 9 → 9.
        let mut ten: Vec<i64> = (1..=10).rev().collect();
        assert_eq!(summary(&mut ten).p90, Some(9));
        // p90 of eleven values 1..=11: rank ceil(9.9) = 10 → 10.
        let mut eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(summary(&mut eleven).p90, Some(10));
        // One value is every percentile.
        let one = summary(&mut [42]);
        assert_eq!((one.median, one.p90, one.count), (Some(42), Some(42), 1));
        // Nothing measured is not zero.
        let none = summary(&mut []);
        assert_eq!((none.median, none.p90, none.mean, none.count), (None, None, None, 0));
    }

    #[test]
    fn rates() {
        assert_eq!(rate(1, 4), Some(25.0));
        assert_eq!(rate(0, 0), None);
        assert_eq!(round1(66.666), 66.7);
    }
}
