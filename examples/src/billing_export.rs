//! `billing_export`: per customer organization a partner manages, its product usages of a
//! billing period with quantity, rate and amount, as CSV or JSON Lines for an external
//! billing system (the developer forum's "How to get billing data from PureCloud to an
//! external billing system?"). Each organization's overview comes from
//! `getBillingTrusteebillingoverviewTrustorOrgId`; `examples/billing_export/README.md`
//! says how the amounts are computed.

use std::io::Write;

use clap::{Parser, ValueEnum};
use genesys_cloud::models::{SubscriptionOverviewUsage, TrusteeBillingOverview};
use serde::Serialize;

use crate::amounts::{Amount, NotADecimal};
use crate::cli::{self, Lookup, EXIT_FAILURE, EXIT_OK};

const PROGRAM: &str = "billing_export";

/// The output columns, in order.
pub const COLUMNS: [&str; 13] = [
    "organization_id",
    "organization_name",
    "currency",
    "product_name",
    "part_number",
    "unit_of_measure",
    "usage_quantity",
    "prepay_quantity",
    "prepay_price",
    "overage_price",
    "prepay_amount",
    "overage_amount",
    "amount",
];

/// Exports the billable usages of the customer organizations a partner manages, one row per
/// product usage, on stdout.
///
/// Amounts, in exact decimal arithmetic, a missing quantity or price counting as 0:
/// prepay_amount = prepay_quantity x prepay_price; overage_amount = max(usage_quantity -
/// prepay_quantity, 0) x overage_price; amount = prepay_amount + overage_amount.
///
/// Environment: GENESYSCLOUD_REGION (us-east-1, eu-west-1, ...), and
/// GENESYSCLOUD_OAUTHCLIENT_ID with GENESYSCLOUD_OAUTHCLIENT_SECRET, or
/// GENESYSCLOUD_ACCESS_TOKEN; GENESYSCLOUD_PROXY_* and GENESYSCLOUD_GATEWAY_* as the
/// Genesys Cloud CLI reads them.
///
/// Exit codes: 0 done; 1 an organization failed (reported on stderr; the others are still
/// exported, unless no access token can be had); 2 the program cannot start (arguments,
/// credentials, region).
#[derive(Debug, Parser)]
#[command(name = PROGRAM, version)]
pub struct Args {
    /// A customer (trustor) organization id; repeat for each organization.
    #[arg(long = "org", value_name = "ID", required = true)]
    pub orgs: Vec<String>,
    /// The billing period: 0 is the current one (its figures may still change), 1 the one
    /// before, and so on.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        value_parser = clap::value_parser!(i32).range(0..)
    )]
    pub period: i32,
    /// The output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
}

/// How rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header line (RFC 4180 quoting, lines ending in LF).
    Csv,
    /// One JSON object per line, numbers as decimal strings.
    Jsonl,
}

/// One output row: a product usage of one organization and its amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub organization_id: String,
    pub organization_name: Option<String>,
    pub currency: Option<String>,
    pub product_name: Option<String>,
    pub part_number: Option<String>,
    pub unit_of_measure: Option<String>,
    pub usage_quantity: String,
    pub prepay_quantity: String,
    pub prepay_price: String,
    pub overage_price: String,
    pub prepay_amount: String,
    pub overage_amount: String,
    pub amount: String,
}

/// Runs the program: `args` (program name first), the environment through `lookup`, rows
/// on `out`, progress and errors on `err`; returns the exit code.
pub async fn run<I, A>(args: I, lookup: Lookup<'_>, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = A>,
    A: Into<std::ffi::OsString> + Clone,
{
    let args: Args = match cli::parse_args(args, out, err) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let client = match cli::client_from_env(PROGRAM, lookup, err) {
        Ok(client) => client,
        Err(code) => return code,
    };
    let mut writer = Writer::new(args.format, out);
    if let Err(e) = writer.header() {
        let _ = writeln!(err, "{PROGRAM}: cannot write the output: {e}");
        return EXIT_FAILURE;
    }
    let total = args.orgs.len();
    let mut failed = 0;
    for (i, org) in args.orgs.iter().enumerate() {
        let progress = format!("{PROGRAM}: [{}/{total}] organization {org}", i + 1);
        let overview = client
            .billing()
            .get_billing_trusteebillingoverview_trustor_org_id(org)
            .billing_period_index(args.period)
            .send()
            .await;
        let rows = match overview {
            Ok(overview) => rows(org, &overview).map_err(|e| e.to_string()),
            // Without a token no organization can be exported: stop here.
            Err(e @ genesys_cloud::Error::Auth { .. }) => {
                let _ = writeln!(err, "{progress}: failed, not exported: {e}");
                let _ = writeln!(
                    err,
                    "{PROGRAM}: stopped: no access token, \
                     so {} of {total} organizations were not exported",
                    total - i + failed
                );
                let _ = writer.finish();
                return EXIT_FAILURE;
            }
            Err(e) => Err(e.to_string()),
        };
        match rows {
            Ok(rows) => {
                if let Err(e) = rows.iter().try_for_each(|row| writer.row(row)) {
                    let _ = writeln!(err, "{PROGRAM}: cannot write the output: {e}");
                    return EXIT_FAILURE;
                }
                let _ = writeln!(err, "{progress}: {} usages", rows.len());
            }
            Err(message) => {
                failed += 1;
                let _ = writeln!(err, "{progress}: failed, not exported: {message}");
            }
        }
    }
    if let Err(e) = writer.finish() {
        let _ = writeln!(err, "{PROGRAM}: cannot write the output: {e}");
        return EXIT_FAILURE;
    }
    if failed > 0 {
        let _ = writeln!(err, "{PROGRAM}: {failed} of {total} organizations failed");
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

/// A usage whose number does not parse; its organization is not exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadNumber {
    /// The usage's product name (or part number).
    pub usage: String,
    /// The JSON field.
    pub field: &'static str,
    pub error: NotADecimal,
}

impl std::fmt::Display for BadNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "usage {:?}: {} {}", self.usage, self.field, self.error)
    }
}

/// The rows of one organization's overview, in the API's order; `org` (the id asked for)
/// stands in for a missing organization id. All or none: a number that does not parse
/// fails the organization.
pub fn rows(org: &str, overview: &TrusteeBillingOverview) -> Result<Vec<Row>, BadNumber> {
    let organization = overview.organization.as_ref();
    let organization_id = organization
        .and_then(|o| o.id.clone())
        .unwrap_or_else(|| org.to_owned());
    let organization_name = organization.and_then(|o| o.name.clone());
    overview
        .usages
        .iter()
        .flatten()
        .map(|usage| {
            let amounts = Amounts::of(usage)?;
            Ok(Row {
                organization_id: organization_id.clone(),
                organization_name: organization_name.clone(),
                currency: overview.currency.clone(),
                product_name: usage.name.clone(),
                part_number: usage.part_number.clone(),
                unit_of_measure: usage.unit_of_measure_type.clone(),
                usage_quantity: amounts.usage_quantity.to_string(),
                prepay_quantity: amounts.prepay_quantity.to_string(),
                prepay_price: amounts.prepay_price.to_string(),
                overage_price: amounts.overage_price.to_string(),
                prepay_amount: amounts.prepay_amount.to_string(),
                overage_amount: amounts.overage_amount.to_string(),
                amount: amounts.amount.to_string(),
            })
        })
        .collect()
}

/// The numbers of one usage row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amounts {
    pub usage_quantity: Amount,
    pub prepay_quantity: Amount,
    pub prepay_price: Amount,
    pub overage_price: Amount,
    /// `prepay_quantity x prepay_price`.
    pub prepay_amount: Amount,
    /// `max(usage_quantity - prepay_quantity, 0) x overage_price`.
    pub overage_amount: Amount,
    /// `prepay_amount + overage_amount`.
    pub amount: Amount,
}

impl Amounts {
    /// The amounts of a usage; a missing quantity or price counts as 0.
    pub fn of(usage: &SubscriptionOverviewUsage) -> Result<Amounts, BadNumber> {
        let field = |field: &'static str, value: &Option<String>| {
            Amount::parse_or_zero(value.as_deref()).map_err(|error| BadNumber {
                usage: usage
                    .name
                    .clone()
                    .or_else(|| usage.part_number.clone())
                    .unwrap_or_default(),
                field,
                error,
            })
        };
        let usage_quantity = field("usageQuantity", &usage.usage_quantity)?;
        let prepay_quantity = field("prepayQuantity", &usage.prepay_quantity)?;
        let prepay_price = field("prepayPrice", &usage.prepay_price)?;
        let overage_price = field("overagePrice", &usage.overage_price)?;
        let prepay_amount = prepay_quantity.times(&prepay_price);
        let overage_amount = usage_quantity
            .minus(&prepay_quantity)
            .at_least_zero()
            .times(&overage_price);
        let amount = prepay_amount.plus(&overage_amount);
        Ok(Amounts {
            usage_quantity,
            prepay_quantity,
            prepay_price,
            overage_price,
            prepay_amount,
            overage_amount,
            amount,
        })
    }
}

/// Writes rows in the chosen format.
enum Writer<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Jsonl(&'a mut dyn Write),
}

impl<'a> Writer<'a> {
    fn new(format: Format, out: &'a mut dyn Write) -> Writer<'a> {
        match format {
            Format::Csv => Writer::Csv(Box::new(
                csv::WriterBuilder::new()
                    .has_headers(false)
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_writer(out),
            )),
            Format::Jsonl => Writer::Jsonl(out),
        }
    }

    fn header(&mut self) -> std::io::Result<()> {
        match self {
            Writer::Csv(csv) => csv.write_record(COLUMNS).map_err(std::io::Error::other),
            Writer::Jsonl(_) => Ok(()),
        }
    }

    fn row(&mut self, row: &Row) -> std::io::Result<()> {
        match self {
            Writer::Csv(csv) => {
                csv.serialize(row).map_err(std::io::Error::other)?;
                // Each organization's rows reach the output as soon as they are complete.
                csv.flush()
            }
            Writer::Jsonl(out) => {
                serde_json::to_writer(&mut **out, row)?;
                out.write_all(b"\n")
            }
        }
    }

    fn finish(&mut self) -> std::io::Result<()> {
        match self {
            Writer::Csv(csv) => csv.flush(),
            Writer::Jsonl(out) => out.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_the_row_fields_in_order() {
        let row = Row {
            organization_id: String::new(),
            organization_name: None,
            currency: None,
            product_name: None,
            part_number: None,
            unit_of_measure: None,
            usage_quantity: String::new(),
            prepay_quantity: String::new(),
            prepay_price: String::new(),
            overage_price: String::new(),
            prepay_amount: String::new(),
            overage_amount: String::new(),
            amount: String::new(),
        };
        // The CSV writer's own header is the field names, in order.
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.serialize(&row).unwrap();
        let text = String::from_utf8(csv.into_inner().unwrap()).unwrap();
        assert_eq!(text.lines().next(), Some(COLUMNS.join(",").as_str()));
    }

    fn usage(quantities: [Option<&str>; 4]) -> SubscriptionOverviewUsage {
        let mut usage = SubscriptionOverviewUsage::default();
        usage.name = Some("Genesys Cloud 3".to_owned());
        let [usage_quantity, prepay_quantity, prepay_price, overage_price] =
            quantities.map(|q| q.map(str::to_owned));
        usage.usage_quantity = usage_quantity;
        usage.prepay_quantity = prepay_quantity;
        usage.prepay_price = prepay_price;
        usage.overage_price = overage_price;
        usage
    }

    fn amounts(quantities: [Option<&str>; 4]) -> [String; 3] {
        let a = Amounts::of(&usage(quantities)).unwrap();
        [a.prepay_amount, a.overage_amount, a.amount].map(|x| x.to_string())
    }

    #[test]
    fn amounts_follow_the_formula() {
        // Usage over the prepaid quantity: the excess at the overage price.
        assert_eq!(
            amounts([Some("12"), Some("10"), Some("75.00"), Some("90.0000")]),
            ["750.00", "180.0000", "930.0000"]
        );
        // Usage under the prepaid quantity: no overage.
        assert_eq!(
            amounts([Some("7"), Some("10"), Some("75.00"), Some("90.00")]),
            ["750.00", "0.00", "750.00"]
        );
        // 0.1 x 3 = 0.3 exactly, and a four-decimal price keeps its decimals.
        assert_eq!(
            amounts([Some("3"), None, None, Some("0.1")]),
            ["0", "0.3", "0.3"]
        );
        assert_eq!(
            amounts([Some("1250.5"), Some("1000"), Some("0.0125"), Some("0.0175")]),
            ["12.5000", "4.38375", "16.88375"]
        );
        // Everything missing counts as zero.
        assert_eq!(amounts([None, None, None, None]), ["0", "0", "0"]);
    }

    #[test]
    fn a_bad_number_names_the_usage_and_field() {
        let error = Amounts::of(&usage([Some("3"), Some("x1"), None, None])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "usage \"Genesys Cloud 3\": prepayQuantity \"x1\" is not a decimal number"
        );
    }
}
