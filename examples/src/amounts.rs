//! Exact decimal arithmetic for `billing_export`: the API's decimal strings in, decimal
//! strings out, never a float. A product has the decimal places of both factors
//! (`0.1 x 3 = 0.3`, `1.50 x 2 = 3.00`, `0 x 0.1234 = 0.0000`) and a sum or difference
//! those of the more precise term, so no decimal place an input carries is lost or rounded.
//!
//! `bigdecimal` parses and prints; the three operations are done here on its integer and
//! scale, because its own operators shortcut some cases (a factor of exactly `1`, a zero
//! term) by normalizing, which drops trailing zeros.

use std::cmp::Ordering;
use std::fmt;

use bigdecimal::num_bigint::BigInt;
use bigdecimal::BigDecimal;

/// An exact decimal number: an integer and how many of its digits are decimal places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    digits: BigInt,
    scale: i64,
}

/// A text that is not a plain decimal number (`12`, `-0.5`, `3.1400`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADecimal(pub String);

impl fmt::Display for NotADecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a decimal number", self.0)
    }
}

impl std::error::Error for NotADecimal {}

impl Amount {
    /// Zero, without decimal places.
    pub fn zero() -> Amount {
        Amount {
            digits: BigInt::from(0),
            scale: 0,
        }
    }

    /// A plain decimal number: an optional sign, digits, and optionally a point and more
    /// digits. Exponents, `NaN` and the like are refused, so a value's size is bounded by
    /// its text.
    pub fn parse(text: &str) -> Result<Amount, NotADecimal> {
        let bad = || NotADecimal(text.to_owned());
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || unsigned.ends_with('.') {
            return Err(bad());
        }
        let parsed: BigDecimal = text.parse().map_err(|_| bad())?;
        let (digits, scale) = parsed.into_bigint_and_exponent();
        Ok(Amount { digits, scale })
    }

    /// A field of the API: missing (or blank) counts as zero.
    pub fn parse_or_zero(text: Option<&str>) -> Result<Amount, NotADecimal> {
        match text.map(str::trim) {
            None | Some("") => Ok(Amount::zero()),
            Some(text) => Amount::parse(text),
        }
    }

    /// The number of decimal places.
    pub fn scale(&self) -> i64 {
        self.scale
    }

    /// `self x other`, exactly: the decimal places of both.
    pub fn times(&self, other: &Amount) -> Amount {
        Amount {
            digits: &self.digits * &other.digits,
            scale: self.scale + other.scale,
        }
    }

    /// `self + other`, exactly, with the decimal places of the more precise one.
    pub fn plus(&self, other: &Amount) -> Amount {
        let scale = self.scale.max(other.scale);
        Amount {
            digits: self.digits_at(scale) + other.digits_at(scale),
            scale,
        }
    }

    /// `self - other`, exactly, with the decimal places of the more precise one.
    pub fn minus(&self, other: &Amount) -> Amount {
        let scale = self.scale.max(other.scale);
        Amount {
            digits: self.digits_at(scale) - other.digits_at(scale),
            scale,
        }
    }

    /// `max(self, 0)`, keeping the decimal places (`-1.50` gives `0.00`).
    pub fn at_least_zero(&self) -> Amount {
        if self.digits < BigInt::from(0) {
            Amount {
                digits: BigInt::from(0),
                scale: self.scale,
            }
        } else {
            self.clone()
        }
    }

    /// The digits of this number written with `scale` decimal places (`scale` at least
    /// this number's own).
    fn digits_at(&self, scale: i64) -> BigInt {
        let extra = u32::try_from(scale - self.scale).unwrap_or(0);
        &self.digits * BigInt::from(10).pow(extra)
    }
}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Amount) -> Option<Ordering> {
        let scale = self.scale.max(other.scale);
        Some(self.digits_at(scale).cmp(&other.digits_at(scale)))
    }
}

impl fmt::Display for Amount {
    /// Plain notation with every decimal place: `0.30`, `12`, `-0.0001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = BigDecimal::new(self.digits.clone(), self.scale);
        f.write_str(&value.to_plain_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str) -> Amount {
        Amount::parse(text).unwrap()
    }

    #[test]
    fn products_keep_the_decimal_places_of_both_factors() {
        assert_eq!(a("0.1").times(&a("3")).to_string(), "0.3");
        assert_eq!(a("3").times(&a("0.1")).to_string(), "0.3");
        assert_eq!(a("1.50").times(&a("2")).to_string(), "3.00");
        assert_eq!(a("1").times(&a("1.50")).to_string(), "1.50");
        assert_eq!(a("0").times(&a("0.1234")).to_string(), "0.0000");
        assert_eq!(a("25").times(&a("12.3456")).to_string(), "308.6400");
        assert_eq!(a("0.1").times(&a("0.2")).to_string(), "0.02");
        assert_eq!(a("-2").times(&a("0.5")).to_string(), "-1.0");
    }

    #[test]
    fn sums_and_differences_keep_the_more_precise_scale() {
        assert_eq!(a("0.1").plus(&a("0.2")).to_string(), "0.3");
        assert_eq!(a("1").plus(&a("0.00")).to_string(), "1.00");
        assert_eq!(a("10").minus(&a("12.5")).to_string(), "-2.5");
        assert_eq!(a("10").minus(&a("12.5")).at_least_zero().to_string(), "0.0");
        assert_eq!(a("12.5").minus(&a("10")).at_least_zero().to_string(), "2.5");
        assert!(a("0.10") == a("0.10") && a("0.1") < a("0.11") && a("-1") < Amount::zero());
    }

    #[test]
    fn precision_is_unbounded() {
        let tiny = a("0.000000000000000000000000000000001");
        assert_eq!(
            tiny.times(&a("3")).to_string(),
            "0.000000000000000000000000000000003"
        );
        let big = a("99999999999999999999999999999999.99");
        assert_eq!(
            big.plus(&a("0.01")).to_string(),
            "100000000000000000000000000000000.00"
        );
    }

    #[test]
    fn only_plain_decimals_parse() {
        for good in ["0", "12", "-0.5", "+3.10", "007.25"] {
            assert!(Amount::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "", "-", ".5", "5.", "1e3", "1.2.3", "NaN", "inf", "1,5", " 1", "0x10",
        ] {
            assert_eq!(
                Amount::parse(bad),
                Err(NotADecimal(bad.to_owned())),
                "{bad}"
            );
        }
        assert_eq!(Amount::parse_or_zero(None), Ok(Amount::zero()));
        assert_eq!(Amount::parse_or_zero(Some("  ")), Ok(Amount::zero()));
        assert_eq!(
            Amount::parse_or_zero(Some(" 2.50 ")).unwrap().to_string(),
            "2.50"
        );
        assert_eq!(
            Amount::parse("1e3").unwrap_err().to_string(),
            "\"1e3\" is not a decimal number"
        );
    }
}
