//! What a run did, folded under one line (the answer above is what most readers want):
//! workers asked for, threads that ran cells, wall time, cells; states left out
//! and cells that failed.

use leptos::prelude::*;

use forecast_charts::format;

use crate::state::run::use_run;

#[component]
pub fn RunSummary() -> impl IntoView {
    let run = use_run();
    move || {
        run.outcome.get().map(|outcome| {
            let out = &outcome.output;
            let excluded = outcome
                .plan
                .excluded
                .iter()
                .map(|e| format!("{} ({})", e.state.code(), e.reason))
                .collect::<Vec<_>>()
                .join(", ");
            let failures = out
                .failures
                .iter()
                .map(|f| {
                    view! {
                        <li data-state=f.state.code() data-model=f.model.name() data-date=f.forecast_date.to_string()>
                            {format!("{}, {}, {}: {}", f.model.label(), f.state.code(), f.forecast_date, f.reason)}
                        </li>
                    }
                })
                .collect_view();
            // Pool threads are numbered from 0; shown from 1.
            let per_thread = out
                .cells_per_thread
                .iter()
                .map(|(thread, cells)| format!("thread {}: {cells}", thread + 1))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <section
                    class="panel summary"
                    class:stale=move || run.dimmed()
                    data-testid="run-summary"
                    data-workers=outcome.workers
                    data-threads=out.threads
                    data-ms=format::full(outcome.ms)
                    data-cells=out.cells
                    data-cells-done=out.cells_done
                    data-rows=out.rows.len()
                    data-cancelled=out.cancelled.to_string()
                    data-drawn-ms=move || run.drawn_ms.get().map(format::full).unwrap_or_default()
                    data-tipping-ms=move || run.tipping_ms.get().map(format::full).unwrap_or_default()
                >
                    <details>
                    <summary>
                        <h2>"Run summary"</h2>
                        {format!(
                            ": {} forecasts in {} on {} {}",
                            format::count(out.rows.len() as u64),
                            format::duration(outcome.ms),
                            out.threads,
                            if out.threads == 1 { "thread" } else { "threads" },
                        )}
                    </summary>
                    <dl>
                        <dt>"Workers asked for"</dt>
                        <dd>{outcome.workers}</dd>
                        <dt>"Threads that ran cells"</dt>
                        <dd>{out.threads}</dd>
                        <dt>"Cells per thread"</dt>
                        <dd data-testid="cells-per-thread">{per_thread}</dd>
                        <dt>"Wall time"</dt>
                        <dd>{format::duration(outcome.ms)}</dd>
                        <dt>"Results drawn"</dt>
                        <dd>
                            {move || run.drawn_ms.get().map(|ms| format!("{} after the engine finished", format::duration(ms)))}
                        </dd>
                        <dt>"Cells"</dt>
                        <dd>
                            {format!(
                                "{} of {} run: {} forecasts, {} with too few polls yet, {} failed{}",
                                out.cells_done,
                                out.cells,
                                out.rows.len(),
                                out.no_forecast,
                                out.failures.len(),
                                if out.cancelled { " (cancelled)" } else { "" },
                            )}
                        </dd>
                        <dt>"States left out"</dt>
                        <dd>{if excluded.is_empty() { "none".to_string() } else { excluded }}</dd>
                    </dl>
                    <h3>"Failed cells"</h3>
                    <ul class="failures" data-testid="failures" data-count=out.failures.len()>
                        {failures}
                    </ul>
                    {out.failures.is_empty().then(|| view! { <p class="none">"None."</p> })}
                    </details>
                </section>
            }
        })
    }
}
