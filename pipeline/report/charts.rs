//! Charts as inline SVG, drawn with `plotters` (SVG backend only, no system
//! fonts). The same SVG text goes into the HTML pages and the PDF.
//!
//! Every chart has a title, labelled axes with units, and is drawn in black,
//! greys and patterns of dashes, so that it reads when printed in black and
//! white. Values arrive already rounded or suppressed by the caller: a chart
//! never shows more than its table.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

const W: u32 = 720;
const FONT: &str = "sans-serif";

fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("chart: {e:?}")
}

/// A round upper bound for an axis: 1, 2 or 5 times a power of ten.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * p >= max {
            return m * p;
        }
    }
    10.0 * p
}

/// How many y labels: one per whole number on short count axes, so that
/// ticks never fall between whole people.
fn count_labels(max: f64) -> usize {
    if max <= 10.0 { max as usize + 1 } else { 11 }
}

fn int_label(v: f64) -> String {
    crate::report::filters::fmt_int(minijinja::Value::from(v)).unwrap_or_default()
}

/// Makes the SVG scale with its container (phones, print).
fn responsive(svg: String, title: &str) -> String {
    let escaped = minijinja::HtmlEscape(title).to_string();
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{escaped}\" preserveAspectRatio=\"xMinYMin meet\" "
        ),
        1,
    )
}

/// Draws the legend of the reference line in a corner.
fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    at: SeriesLabelPosition,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(at)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((FONT, 12))
        .draw()
        .map_err(err)
}

/// A line over the months: `labels[i]` under point `i`.
pub fn trend(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    labels: &[String],
    values: &[f64],
) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, 300)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let n = values.len().max(1);
        let max = nice_max(values.iter().cloned().fold(0.0, f64::max));
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 18))
            .margin(12)
            .x_label_area_size(52)
            .y_label_area_size(64)
            .build_cartesian_2d((0..n - 1).into_segmented(), 0f64..max)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(RGBColor(225, 225, 225))
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_labels(n)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    labels.get(*i).cloned().unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            })
            .y_labels(count_labels(max))
            .y_label_formatter(&|v| int_label(*v))
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .draw()
            .map_err(err)?;
        let points: Vec<(SegmentValue<usize>, f64)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (SegmentValue::CenterOf(i), *v))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), BLACK.stroke_width(2)))
            .map_err(err)?;
        chart
            .draw_series(
                points
                    .iter()
                    .map(|p| Circle::new(p.clone(), 4, BLACK.filled())),
            )
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(responsive(svg, title))
}

/// One horizontal bar.
pub struct Bar {
    pub label: String,
    /// Bar length; `None` draws no bar (a suppressed or unknown value).
    pub value: Option<f64>,
    /// Printed at the end of the bar.
    pub text: String,
    /// Drawn in light grey instead of black (e.g. stages shown apart).
    pub muted: bool,
}

/// Horizontal bars with their values printed, and an optional vertical
/// reference line (e.g. 100 % of target) with its label.
pub fn bars(
    title: &str,
    x_desc: &str,
    rows: &[Bar],
    reference: Option<(f64, &str)>,
    percent_axis: bool,
) -> anyhow::Result<String> {
    let mut svg = String::new();
    let n = rows.len().max(1);
    let height = (70 + 34 * n as u32).max(150);
    {
        let root = SVGBackend::with_string(&mut svg, (W, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let data_max = rows.iter().filter_map(|r| r.value).fold(0.0, f64::max);
        let max = nice_max(data_max.max(reference.map_or(0.0, |r| r.0)) * 1.15);
        let longest = rows
            .iter()
            .map(|r| r.label.chars().count())
            .max()
            .unwrap_or(0);
        // About 6.5 px per character at 12 px; at most half the width.
        let label_area = ((longest as f64 * 6.5) as u32 + 16).clamp(60, W / 2);
        // Row 0 is drawn at the top.
        let slot = |i: usize| n - 1 - i;
        let x_label = |v: f64| {
            if percent_axis {
                format!("{}%", int_label(v * 100.0))
            } else {
                int_label(v)
            }
        };
        // The last x label is centred on the plot's right edge: the right
        // margin holds its half, so that it is not cut ("80,000").
        let right = ((x_label(max).chars().count() as f64 * 6.5 / 2.0) as u32 + 4).max(12);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 18))
            .margin(12)
            .margin_right(right)
            .x_label_area_size(44)
            .y_label_area_size(label_area)
            .build_cartesian_2d(0f64..max, (0..n - 1).into_segmented())
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(RGBColor(225, 225, 225))
            .x_desc(x_desc)
            .x_labels(if percent_axis { 11 } else { count_labels(max) })
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) if *i < n => rows
                    .get(slot(*i))
                    .map(|r| r.label.clone())
                    .unwrap_or_default(),
                SegmentValue::CenterOf(_) | SegmentValue::Exact(_) => String::new(),
                SegmentValue::Last => String::new(),
            })
            .x_label_formatter(&|v| x_label(*v))
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .draw()
            .map_err(err)?;
        for (i, r) in rows.iter().enumerate() {
            // A bar of 0 draws nothing: an empty rectangle is invalid SVG
            // to some readers (Typst's warns for each).
            if let Some(v) = r.value.filter(|v| *v > 0.0) {
                let style = if r.muted {
                    RGBColor(170, 170, 170).filled()
                } else {
                    RGBColor(60, 60, 60).filled()
                };
                let mut bar = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(slot(i))),
                        (v, SegmentValue::Exact(slot(i) + 1)),
                    ],
                    style,
                );
                bar.set_margin(5, 5, 0, 0);
                chart.draw_series(std::iter::once(bar)).map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(Text::new(
                    format!(" {}", r.text),
                    (r.value.unwrap_or(0.0), SegmentValue::CenterOf(slot(i))),
                    (FONT, 13).into_font().color(&BLACK),
                )))
                .map_err(err)?;
        }
        if let Some((x, label)) = reference {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, SegmentValue::Exact(0)), (x, SegmentValue::Last)],
                    6,
                    4,
                    BLACK.stroke_width(2),
                ))
                .map_err(err)?
                .label(label.to_string())
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2))
                });
            legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        }
        root.present().map_err(err)?;
    }
    Ok(responsive(svg, title))
}

/// The overall-score histogram: surveys per tenth of the scale, with the
/// sustainability threshold marked by a dashed line.
pub fn histogram(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    threshold_label: &str,
    bins: &[(f64, f64, f64)],
    threshold: f64,
) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, 300)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        // Headroom above the tallest bar for the legend (about a sixth of
        // the plot's height), which would otherwise hide the first bar's top.
        let max = nice_max(bins.iter().map(|b| b.2).fold(0.0, f64::max) * 1.3);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 18))
            .margin(12)
            .x_label_area_size(52)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..1f64, 0f64..max)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(RGBColor(225, 225, 225))
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_labels(11)
            .x_label_formatter(&|v| format!("{v:.1}"))
            .y_labels(count_labels(max))
            .y_label_formatter(&|v| int_label(*v))
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(bins.iter().map(|(a, b, n)| {
                let mut r = Rectangle::new([(*a, 0.0), (*b, *n)], RGBColor(90, 90, 90).filled());
                r.set_margin(0, 0, 2, 2);
                r
            }))
            .map_err(err)?;
        chart
            .draw_series(DashedLineSeries::new(
                vec![(threshold, 0.0), (threshold, max)],
                6,
                4,
                BLACK.stroke_width(2),
            ))
            .map_err(err)?
            .label(threshold_label)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present().map_err(err)?;
    }
    Ok(responsive(svg, title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 8.0);
        assert_eq!(nice_max(11.0), 12.0);
        assert_eq!(nice_max(130.0), 150.0);
        assert!((nice_max(0.3) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn charts_escape_their_text_and_carry_title_and_axes() {
        let svg = trend(
            "A <b> title",
            "Month",
            "People",
            &["Jan".into(), "Feb".into()],
            &[1.0, 3.0],
        )
        .unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"A &lt;b&gt; title\""));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("People") && svg.contains("Month"));
        let svg = bars(
            "Funnel",
            "Cases",
            &[Bar {
                label: "<script>".into(),
                value: Some(3.0),
                text: "3".into(),
                muted: false,
            }],
            Some((1.0, "Target")),
            false,
        )
        .unwrap();
        assert!(!svg.contains("<script>"));
        let svg = histogram(
            "Scores",
            "Score",
            "Surveys",
            "Sustainability threshold (0.50)",
            &[(0.0, 0.1, 2.0), (0.5, 0.6, 4.0)],
            0.5,
        )
        .unwrap();
        assert!(svg.contains("threshold (0.50)") && svg.contains("Surveys"));
    }
}
