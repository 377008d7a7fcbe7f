//! "Measure speed-up": the current settings on 1 to all workers, as a table, a chart and
//! a CSV, as the original program's report ends.

use forecast_charts::{format, SpeedupChart};
use forecast_engine::speedup::speedup_csv;
use leptos::prelude::*;

use super::download::DownloadButton;
use crate::state::pool::use_pool;
use crate::state::speedup::{use_speedup, ROUNDS};

#[component]
pub fn SpeedupPanel() -> impl IntoView {
    let speedup = use_speedup();
    let pool = use_pool();
    let single = pool.not_isolated().is_some();
    let status = move || {
        if let Some((done, total)) = speedup.step.get() {
            format!("measuring: run {} of {total}…", done + 1)
        } else if let Some(error) = speedup.error.get() {
            format!("could not measure: {error}")
        } else if speedup.cancelled.get() {
            "cancelled: the table has the runs made before".to_string()
        } else {
            String::new()
        }
    };
    let rows = move || {
        speedup
            .table
            .get()
            .into_iter()
            .map(|row| {
                let ratio = |r: Option<f64>, decimals| {
                    r.map_or("–".to_string(), |r| format::plain(r, decimals))
                };
                view! {
                    <tr
                        data-workers=row.workers
                        data-ms=format::full(row.median_ms)
                        data-fastest-ms=format::full(row.fastest_ms)
                        data-speedup=row.speedup.map(format::full).unwrap_or_default()
                        data-runs=row.runs
                    >
                        <td>{row.workers}</td>
                        <td>{format::plain(row.median_ms, 1)}</td>
                        <td>{format::plain(row.fastest_ms, 1)}</td>
                        <td>{ratio(row.speedup, 2)}</td>
                        <td>{row.efficiency.map_or("–".to_string(), format::percent)}</td>
                        <td>{row.runs}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let csv = Callback::new(move |()| {
        let table = speedup.table.get_untracked();
        (!table.is_empty()).then(|| speedup_csv(&table))
    });
    view! {
        <section class="panel speedup" data-testid="speedup">
            <h2>"Speed-up on this machine"</h2>
            <p class="hint">
                {format!(
                    "Runs the current settings with 1 to {} workers: a warm-up, then {ROUNDS} runs each, in alternating order. A run's time is the engine's, from its first task's start to its last's end.",
                    pool.threads,
                )}
            </p>
            {single.then(|| view! {
                <p class="note" data-testid="bench-single">
                    "Only 1 worker is measured: this page is not cross-origin isolated, so its engine runs in one worker (see the note at the top)."
                </p>
            })}
            <div class="actions">
                <button
                    type="button"
                    data-testid="bench-run"
                    disabled=move || !speedup.can_start()
                    on:click=move |_| speedup.start()
                >
                    "Measure speed-up"
                </button>
                <button
                    type="button"
                    data-testid="bench-cancel"
                    disabled=move || !speedup.is_measuring()
                    on:click=move |_| speedup.cancel()
                >
                    "Cancel"
                </button>
                <span role="status" data-testid="bench-status">{status}</span>
            </div>
            <Show when=move || !speedup.table.with(Vec::is_empty)>
                <table data-testid="bench-table">
                    <caption>"Run times by number of workers"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Workers"</th>
                            <th scope="col">"Median ms"</th>
                            <th scope="col">"Fastest ms"</th>
                            <th scope="col">"Speed-up"</th>
                            <th scope="col">"Efficiency"</th>
                            <th scope="col">"Runs"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <SpeedupChart rows=speedup.table />
                <DownloadButton make=csv file="speedup.csv" testid="bench-csv" />
            </Show>
        </section>
    }
}
