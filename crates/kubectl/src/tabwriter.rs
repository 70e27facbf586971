//! Go `text/tabwriter` (kubectl uses the github.com/liggitt/tabwriter fork)
//! with left alignment and space padding. Tables are written the way kubectl
//! configures it for them: minwidth 6, tabwidth 4, padding 3, padchar ' ',
//! flags RememberWidths; `kubectl describe` uses minwidth 0, padding 2 and no
//! flags, and flushes between sections (`TabWriter`).
//!
//! Cells are tab-terminated; the text after the last tab of a line is not a
//! cell of any column and is written unpadded. A column is aligned over a
//! *block*: the run of consecutive lines that have a cell in that column, so
//! a shorter line splits the block and the lines below it align afresh.
//! RememberWidths only matters across several flushes (watch output); one
//! table is one flush here.

/// Minimum cell width of kubectl's tables, padding included.
pub const MIN_WIDTH: usize = 6;
/// Spaces kubectl's tables add to the widest cell of a column.
pub const PADDING: usize = 3;

struct Cell {
    text: String,
    width: usize,
}

/// Formats tab/newline separated text exactly as kubectl's table tabwriter
/// does when flushed once.
pub fn format_text(text: &str) -> String {
    format_block(text, MIN_WIDTH, PADDING)
}

/// Formats text the way a tabwriter with these settings does between two
/// flushes.
pub fn format_block(text: &str, min_width: usize, padding: usize) -> String {
    let lines: Vec<Vec<Cell>> = text
        .split('\n')
        .map(|line| {
            line.split('\t')
                .map(|c| Cell {
                    text: c.to_string(),
                    width: c.chars().count(),
                })
                .collect()
        })
        .collect();
    let mut w = Writer {
        lines: &lines,
        min_width,
        padding,
        widths: Vec::new(),
        out: String::new(),
    };
    w.format(0, lines.len());
    w.out
}

/// A tabwriter that text is written to in pieces; each `flush` aligns what
/// was written since the last one on its own, as Go's `Flush` does.
pub struct TabWriter {
    min_width: usize,
    padding: usize,
    pending: String,
    out: String,
}

impl TabWriter {
    pub fn new(min_width: usize, padding: usize) -> TabWriter {
        TabWriter {
            min_width,
            padding,
            pending: String::new(),
            out: String::new(),
        }
    }

    pub fn write(&mut self, s: &str) {
        self.pending.push_str(s);
    }

    /// Formats everything written so far; later text aligns independently.
    pub fn flush(&mut self) {
        let text = std::mem::take(&mut self.pending);
        self.out
            .push_str(&format_block(&text, self.min_width, self.padding));
    }

    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

/// One table: each row's cells are joined with tabs and ended with a newline,
/// as kubectl's table printer writes them, then aligned.
pub fn format_table<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    let n = rows.first().map_or(0, Vec::len);
    let plain = |c: &S| !c.as_ref().bytes().any(|b| b == b'\t' || b == b'\n');
    if rows.iter().all(|r| r.len() == n && r.iter().all(plain)) {
        return format_uniform(rows, n);
    }
    let mut text = String::new();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            if i > 0 {
                text.push('\t');
            }
            text.push_str(c.as_ref());
        }
        text.push('\n');
    }
    format_text(&text)
}

const SPACES: &str = "                                                                ";

/// [`format_table`] when every row has `n` cells and no cell holds a tab or a newline (a
/// table's usual shape): then all rows form one block, so column j is as wide as its
/// widest cell plus the padding (at least the minimum width) and the last cell is not
/// padded — what `format_text` computes, without splitting a joined text again. Writes
/// into one string sized up front (issue #14: 10^4-row tables).
fn format_uniform<S: AsRef<str>>(rows: &[Vec<S>], n: usize) -> String {
    let width = |s: &str| {
        if s.is_ascii() {
            s.len()
        } else {
            s.chars().count()
        }
    };
    let mut widths = vec![MIN_WIDTH; n.saturating_sub(1)];
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(c.as_ref()) + PADDING);
        }
    }
    let fixed: usize = widths.iter().sum();
    let last: usize = rows
        .iter()
        .map(|r| r.last().map_or(0, |c| c.as_ref().len()))
        .sum();
    // Column widths count characters; a multi-byte cell only makes the guess short.
    let mut out = String::with_capacity(rows.len() * (fixed + 1) + last);
    for row in rows {
        for (j, c) in row.iter().enumerate() {
            let c = c.as_ref();
            out.push_str(c);
            if let Some(&w) = widths.get(j) {
                let mut pad = w.saturating_sub(width(c));
                while pad > 0 {
                    let n = pad.min(SPACES.len());
                    out.push_str(&SPACES[..n]);
                    pad -= n;
                }
            }
        }
        out.push('\n');
    }
    out
}

struct Writer<'a> {
    lines: &'a [Vec<Cell>],
    min_width: usize,
    padding: usize,
    widths: Vec<usize>,
    out: String,
}

impl Writer<'_> {
    /// Upstream `format`: find each block of lines that has a cell in the
    /// next column, size that column over the block, recurse rightwards.
    fn format(&mut self, mut line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(line0, this);
            line0 = this;
            let mut width = self.min_width;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                width = width.max(line[column].width + self.padding);
                this += 1;
            }
            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }

    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            let line = &self.lines[i];
            for (j, c) in line.iter().enumerate() {
                self.out.push_str(&c.text);
                if let Some(&w) = self.widths.get(j) {
                    for _ in c.width..w {
                        self.out.push(' ');
                    }
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
        r.iter()
            .map(|x| x.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    // Goldens from kubectl 1.33 (`kubectl get`, tables from a stub apiserver).
    #[test]
    fn servicecidr_table_golden() {
        let t = format_table(&rows(&[
            &["NAME", "CIDRS", "AGE"],
            &["kubernetes", "10.96.0.0/28", "17d"],
            &["newcidr1", "10.96.0.0/24,fd00::/112", "5m2s"],
        ]));
        assert_eq!(
            t,
            "NAME         CIDRS                     AGE\n\
             kubernetes   10.96.0.0/28              17d\n\
             newcidr1     10.96.0.0/24,fd00::/112   5m2s\n"
        );
    }

    #[test]
    fn min_width_pads_short_columns_to_six() {
        // A column whose widest cell is 2 (+3 padding = 5) is still 6 wide;
        // "<none>" (6) + 3 = 9.
        let t = format_table(&rows(&[&["ab", "X"], &["a", "y"]]));
        assert_eq!(t, "ab    X\na     y\n");
        let t = format_table(&rows(&[&[
            "kubernetes",
            "ClusterIP",
            "10.96.0.1",
            "<none>",
            "443/TCP",
            "17d",
        ]]));
        assert_eq!(
            t,
            "kubernetes   ClusterIP   10.96.0.1   <none>   443/TCP   17d\n"
        );
    }

    #[test]
    fn last_cell_is_not_padded() {
        let t = format_table(&rows(&[
            &["NAME", "PARENTREF"],
            &["10.96.0.1", "services/default/kubernetes"],
        ]));
        assert_eq!(
            t,
            "NAME        PARENTREF\n10.96.0.1   services/default/kubernetes\n"
        );
    }

    #[test]
    fn a_shorter_line_splits_the_column_block() {
        // Go aligns column 0 of lines 1 and 3 separately: line 2 has no
        // tab-terminated cell, so it ends the first block.
        let t = format_text("a\tb\nlonger-text\ncccccccccc\td\n");
        assert_eq!(t, "a     b\nlonger-text\ncccccccccc   d\n");
    }

    #[test]
    fn widths_count_characters_not_bytes() {
        let t = format_table(&rows(&[&["日本語", "x"], &["ab", "y"]]));
        assert_eq!(t, "日本語   x\nab    y\n");
    }

    /// The one-block shortcut and the general block algorithm agree on uniform tables
    /// (ragged ones and cells with tabs take the general path).
    #[test]
    fn uniform_tables_format_as_the_joined_text_does() {
        let general = |rows: &[Vec<String>]| {
            let mut text = String::new();
            for r in rows {
                text.push_str(&r.join("\t"));
                text.push('\n');
            }
            format_text(&text)
        };
        let cases: Vec<Vec<Vec<String>>> = vec![
            rows(&[
                &["NAME", "TYPE", "AGE"],
                &["a-very-long-name", "", "5m"],
                &["日本語", "x", ""],
            ]),
            rows(&[&["only"], &["column"]]),
            // Padding wider than the spaces constant.
            vec![
                vec!["x".repeat(150), "y".into()],
                vec!["a".into(), "b".into()],
            ],
            rows(&[&["", ""], &["", ""]]),
            rows(&[&["a", "b\tc"], &["d", "e"]]),
            rows(&[&["a", "b", "c"], &["short"], &["x", "y", "z"]]),
        ];
        for c in cases {
            assert_eq!(format_table(&c), general(&c), "{c:?}");
        }
    }

    #[test]
    fn empty_input() {
        assert_eq!(format_table::<String>(&[]), "");
        assert_eq!(format_text(""), "");
    }
}
