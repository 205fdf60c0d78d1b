//! Plain-text tables for the programs' output: columns padded to their widest cell, numbers
//! aligned right.

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left.
    Right,
}

/// The table as lines: the header, then one line per row, two spaces between columns, no
/// trailing spaces. Line breaks and tabs in cells become spaces, so a row stays one line.
pub fn render(columns: &[(&str, Align)], rows: &[Vec<String>]) -> String {
    let clean = |cell: &str| cell.replace(['\r', '\n', '\t'], " ");
    let header: Vec<String> = columns.iter().map(|(name, _)| (*name).to_owned()).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| clean(cell)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &body {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(&header).chain(&body) {
        let mut line = String::new();
        for (i, ((_, align), width)) in columns.iter().zip(&widths).enumerate() {
            let cell = row.get(i).map(String::as_str).unwrap_or("");
            let pad = " ".repeat(width - cell.chars().count().min(*width));
            if i > 0 {
                line.push_str("  ");
            }
            match align {
                Align::Left => {
                    line.push_str(cell);
                    line.push_str(&pad);
                }
                Align::Right => {
                    line.push_str(&pad);
                    line.push_str(cell);
                }
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_padded_and_numbers_aligned_right() {
        let rows = vec![
            vec!["Genesys Cloud 3".to_owned(), "42".to_owned()],
            vec!["Voice\nminutes".to_owned(), "1234.5".to_owned()],
            vec!["Ünïcode".to_owned()],
        ];
        let text = render(&[("NAME", Align::Left), ("TOTAL", Align::Right)], &rows);
        assert_eq!(
            text,
            "NAME              TOTAL\n\
             Genesys Cloud 3      42\n\
             Voice minutes    1234.5\n\
             Ünïcode\n"
        );
    }
}
