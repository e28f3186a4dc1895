//! Running a [`PushPlan`]: its steps in order, with what each failure leaves in the store
//! said in the error (see the module documentation of [`super`] for why a push is safe).

use super::canon::{Kept, KeptOfEach};
use super::plan::{PushPlan, Step, Transfer, When};
use super::stream::{self, Part, Parts, Stop};
use super::{
    GraphLoad, Mode, Publisher, Verified, interrupted, interrupted_error, mismatch, push_error,
    remote, serialize, serialize_dataset, straight, write_dataset,
};
use crate::base::error::{Error, Result};
use crate::base::parallel;
use crate::base::progress::Share;
use crate::net::http::{Payload, pipe};
use oxigraph::model::NamedNode;
use reqwest::Method;
use std::collections::VecDeque;
use std::sync::mpsc::{SyncSender, sync_channel};

/// The most counts asked of a store at once.
const COUNTS_AT_ONCE: usize = 4;

/// How far a push got.
struct Run {
    /// The triples each target held before the push.
    before: Vec<u64>,
    /// The loads whose graphs were written to, from the first.
    written: usize,
    /// The loads of the request under way or last sent.
    sending: Vec<usize>,
    /// Whether the progress was started and finished.
    started: bool,
    finished: bool,
    /// Whether the swap is held.
    claimed: bool,
    /// The loads whose swap has begun.
    swapped: Vec<bool>,
    /// What a store that rewrites literals keeps of each load, counted when it is sent.
    kept: Vec<Option<Kept>>,
    verified: Vec<Verified>,
    /// The answers to the counts of the next steps, asked at once ([`Publisher::count_ahead`]).
    counted_ahead: VecDeque<Result<Vec<u64>>>,
}

impl Run {
    /// Keeps what was counted of the loads of `part` as they were sent.
    fn counted(&mut self, part: &[usize], kept: KeptOfEach) {
        for (&load, kept) in part.iter().zip(kept) {
            if kept.is_some() {
                self.kept[load] = kept;
            }
        }
    }
}

const UNCHANGED: &str = "nothing was written: the store is unchanged";
const AS_BEFORE: &str =
    "no graph was changed: the graphs in the store are as they were before the push";

impl Publisher {
    /// Runs a plan's steps up to its prune (see [`Publisher::prune`]), and returns what
    /// the targets hold afterwards. The swap is given back whatever happens once it is
    /// held.
    pub fn execute(&self, plan: &PushPlan) -> Result<Vec<Verified>> {
        let mut run = Run {
            before: vec![0; plan.loads.len()],
            written: 0,
            sending: Vec::new(),
            started: false,
            finished: false,
            claimed: false,
            swapped: vec![false; plan.loads.len()],
            kept: vec![None; plan.loads.len()],
            verified: Vec::with_capacity(plan.loads.len()),
            counted_ahead: VecDeque::new(),
        };
        let result = (plan.steps.iter().enumerate()).try_for_each(|(i, step)| {
            if run.counted_ahead.is_empty() {
                run.counted_ahead = self.count_ahead(&plan.steps[i..]);
            }
            self.step(plan, step, &mut run)
        });
        if run.claimed {
            self.release_swap();
        }
        if run.started && !run.finished {
            self.progress.finish();
        }
        result.map(|()| run.verified)
    }

    /// Drops the graphs a plan prunes, one request each, stopping at the first failure.
    pub fn prune(&self, plan: &PushPlan) -> Result<()> {
        for step in &plan.steps {
            if let Step::Prune { graph } = step {
                self.drop_silent(graph)?;
            }
        }
        Ok(())
    }

    fn step(&self, plan: &PushPlan, step: &Step, run: &mut Run) -> Result<()> {
        let loads = &plan.loads;
        match step {
            Step::Count {
                loads: counted,
                graphs,
                when: When::Before,
            } => {
                if interrupted() {
                    return Err(interrupted_error(UNCHANGED.into(), None));
                }
                let held = self.count(graphs, run).map_err(|e| {
                    push_error(
                        "cannot count the graphs in the store",
                        e,
                        UNCHANGED.into(),
                        None,
                    )
                })?;
                for (&load, held) in counted.iter().zip(held) {
                    run.before[load] = held;
                }
            }
            Step::Empty { .. }
            | Step::Send { .. }
            | Step::SendDataset { .. }
            | Step::InsertData { .. } => {
                if !run.started {
                    self.progress.start(plan.triples());
                    run.started = true;
                }
                run.sending = match step {
                    Step::Send { load, .. } => vec![*load],
                    Step::Empty { loads: part }
                    | Step::SendDataset { loads: part, .. }
                    | Step::InsertData { loads: part, .. } => part.clone(),
                    _ => Vec::new(),
                };
                let last = run.sending.last().copied().unwrap_or(0);
                run.written = run.written.max(last + 1);
                let result = match step {
                    Step::Send {
                        load,
                        graph,
                        transfer,
                    } => self
                        .send(&loads[*load], graph, transfer, plan)
                        .map(|kept| run.kept[*load] = kept),
                    Step::SendDataset {
                        url, loads: part, ..
                    } => (self.send_dataset(plan, step, url.clone(), part))
                        .map(|kept| run.counted(part, kept)),
                    Step::InsertData { loads: part, .. } => {
                        (self.insert_graphs(plan, step)).map(|kept| run.counted(part, kept))
                    }
                    _ => self.drop_all_silent(run.sending.iter().map(|&i| &loads[i].target)),
                };
                if interrupted() {
                    return Err(self.stopped(plan, run, None));
                }
                result.map_err(|error| {
                    let failure = format!("loading {} failed", targets(loads, &run.sending));
                    self.stopped(plan, run, Some((failure, error)))
                })?;
            }
            Step::Count {
                loads: counted,
                graphs,
                when: When::Loaded,
            } => {
                self.check_staged(loads, counted, graphs, run)
                    .map_err(|error| {
                        let failure = format!("loading {} failed", targets(loads, counted));
                        self.stopped(plan, run, Some((failure, error)))
                    })?;
            }
            Step::Claim => {
                self.finish_progress(run);
                if let Err(error) = self.claim_swap() {
                    let cleanup = self.drop_graphs(&self.staging_graphs(plan, 0));
                    return Err(push_error(
                        "waiting for the swap failed",
                        error,
                        "no graph was changed".into(),
                        Some(cleanup),
                    ));
                }
                run.claimed = true;
            }
            Step::Count {
                loads: counted,
                graphs,
                when: When::Swap,
            } => {
                if let Err(error) = self.check_staged(loads, counted, graphs, run) {
                    let failure = "a staging graph changed before the swap";
                    if self.endpoints.atomic_multi_update {
                        let cleanup = self.drop_graphs(&self.staging_graphs(plan, 0));
                        return Err(push_error(
                            failure,
                            error,
                            "no graph was changed".into(),
                            Some(cleanup),
                        ));
                    }
                    let load = counted[0];
                    let cleanup = self.drop_graphs(&self.staging_graphs(plan, load));
                    let state = format!(
                        "{} {}; {} and the graphs after it are as they were; push again to finish",
                        swapped_before(loads, load),
                        plan.options.mode.done(),
                        loads[load].target
                    );
                    return Err(push_error(failure, error, state, Some(cleanup)));
                }
            }
            Step::Swap {
                loads: swapping,
                operations,
            } => {
                // MOVE from a missing graph empties the target: never send it twice. ADD
                // and DROP are safe to repeat.
                let repeatable = plan.options.mode == Mode::Append;
                let update = operations.join(" ;\n");
                let mut request = remote::update_request(&self.endpoints, &update, repeatable);
                // The store copies every staged triple inside this one request: on Oxigraph
                // a million take about two minutes, so they earn time as sent ones do.
                request.moves = swapping.iter().map(|&load| loads[load].len()).sum();
                if let Err(error) = self.client.send_ok(request) {
                    return Err(self.swap_failed(plan, run, swapping, error));
                }
                for &load in swapping {
                    run.swapped[load] = true;
                }
            }
            Step::Release => {
                run.claimed = false;
                self.release_swap();
            }
            Step::Count {
                loads: counted,
                graphs,
                when: When::After,
            } => {
                self.finish_progress(run);
                let after = self.count(graphs, run).map_err(|e| {
                    let failure = format!("cannot verify {}", targets(loads, counted));
                    let state = "every graph was loaded, but counting them failed";
                    push_error(&failure, e, state.into(), None)
                })?;
                for (&load, after) in counted.iter().zip(after) {
                    let target = &loads[load];
                    let expected = self.kept(loads, load, run).map(|kept| self.expected(&kept));
                    let expected = expected.map_err(|e| {
                        let failure = format!("cannot verify {}", target.target);
                        push_error(&failure, e, "every graph was loaded".into(), None)
                    })?;
                    run.verified.push(Verified {
                        target: target.target.clone(),
                        sent: target.len(),
                        expected,
                        before: run.before[load],
                        after,
                    });
                }
            }
            Step::Prune { .. } => {}
        }
        Ok(())
    }

    /// The answers to the counts of the run of steps that `steps` starts with, counts of
    /// the graphs before the load or after it, asked at once on up to [`COUNTS_AT_ONCE`]
    /// connections (the store counts each on a core of its own): none where `steps` does
    /// not start with two such counts. Nothing else is sent in between, so the answers are
    /// those the steps would get one after another.
    fn count_ahead(&self, steps: &[Step]) -> VecDeque<Result<Vec<u64>>> {
        fn when(step: &Step) -> Option<(When, &Vec<NamedNode>)> {
            match step {
                Step::Count { when, graphs, .. } if matches!(when, When::Before | When::After) => {
                    Some((*when, graphs))
                }
                _ => None,
            }
        }
        let Some((first, _)) = steps.first().and_then(when) else {
            return VecDeque::new();
        };
        let graphs: Vec<&Vec<NamedNode>> = (steps.iter().map(when))
            .map_while(|count| count.filter(|(w, _)| *w == first).map(|(_, graphs)| graphs))
            .collect();
        let mut counted = VecDeque::with_capacity(graphs.len());
        if graphs.len() >= 2 {
            let count =
                |graphs: &Vec<NamedNode>| remote::count(&self.client, &self.endpoints, graphs);
            parallel::in_order_on(COUNTS_AT_ONCE, graphs, count, |c| counted.push_back(c));
        }
        counted
    }

    /// The triples inside each of `graphs`: the answer counted ahead, or asked now.
    fn count(&self, graphs: &[NamedNode], run: &mut Run) -> Result<Vec<u64>> {
        match run.counted_ahead.pop_front() {
            Some(counted) => counted,
            None => remote::count(&self.client, &self.endpoints, graphs),
        }
    }

    fn finish_progress(&self, run: &mut Run) {
        if run.started && !run.finished {
            self.progress.finish();
            run.finished = true;
        }
    }

    /// The error of a push stopped while loading (`failure` and its cause, or an
    /// interruption), with the state of the store: staging graphs written so far dropped
    /// and no target changed, or, for graphs loaded straight, the target that may hold part
    /// of what was sent.
    fn stopped(&self, plan: &PushPlan, run: &Run, failure: Option<(String, Error)>) -> Error {
        let loads = &plan.loads;
        if plan.options.non_atomic {
            let current = targets(loads, &run.sending);
            let partly = match run.sending.len() {
                1 => format!("{current} may hold part of what was sent; push again to finish"),
                _ => format!(
                    "{current} may hold part of what was sent to them; push again to finish"
                ),
            };
            let first = run.sending.first().copied().unwrap_or(0);
            return straight(match failure {
                Some((failure, error)) => push_error(&failure, error, partly, None),
                None => {
                    let done: Vec<String> = loads[..first]
                        .iter()
                        .map(|l| l.target.to_string())
                        .collect();
                    let state = match done.is_empty() {
                        true => partly,
                        false => format!("{partly}; {} were loaded", done.join(", ")),
                    };
                    interrupted_error(state, None)
                }
            });
        }
        let written: Vec<NamedNode> = loads[..run.written]
            .iter()
            .map(|l| self.staging(&l.target))
            .collect();
        let cleanup = self.drop_graphs(&written);
        match failure {
            Some((failure, error)) => push_error(&failure, error, AS_BEFORE.into(), Some(cleanup)),
            None => interrupted_error(AS_BEFORE.into(), Some(cleanup)),
        }
    }

    /// The error of a swap request that failed: what is known of the targets, with the
    /// staging graphs not swapped in dropped.
    fn swap_failed(&self, plan: &PushPlan, run: &Run, swapping: &[usize], error: Error) -> Error {
        let loads = &plan.loads;
        let done = plan.options.mode.done();
        let failure = "swapping the staged graphs in failed";
        if self.endpoints.atomic_multi_update {
            let cleanup = self.drop_graphs(&self.staging_graphs(plan, 0));
            let state = format!(
                "the swap is one transaction: either every graph was {done} or none (the store did not confirm); push again to be sure"
            );
            return push_error(failure, error, state, Some(cleanup));
        }
        let first = swapping[0];
        let cleanup = self.drop_graphs(&self.staging_graphs(plan, first));
        let target = &loads[first].target;
        let state = if run.swapped[first] {
            format!("{target} was {done} but its staging graph was not dropped")
        } else {
            format!(
                "{} {done}; {target} and the graphs after it are either as they were or fully {done} (the store did not confirm); push again to finish",
                swapped_before(loads, first)
            )
        };
        push_error(failure, error, state, Some(cleanup))
    }

    /// The staging graphs of the loads from `first` on.
    fn staging_graphs(&self, plan: &PushPlan, first: usize) -> Vec<NamedNode> {
        plan.loads[first..]
            .iter()
            .map(|l| self.staging(&l.target))
            .collect()
    }

    /// What a store that rewrites literals keeps of a load: counted while it was sent, or,
    /// for a held graph, now.
    fn kept(&self, loads: &[GraphLoad], load: usize, run: &mut Run) -> Result<Kept> {
        if let Some(kept) = &run.kept[load] {
            return Ok(kept.clone());
        }
        let kept = loads[load].kept()?;
        run.kept[load] = Some(kept.clone());
        Ok(kept)
    }

    /// Sends one graph's triples as `transfer` says, and returns what a store that
    /// rewrites literals keeps of them when they were counted on the way (a graph read
    /// from the store as it is sent). Stops early, without an error, when the push is
    /// interrupted: the caller checks.
    fn send(
        &self,
        load: &GraphLoad,
        graph: &NamedNode,
        transfer: &Transfer,
        plan: &PushPlan,
    ) -> Result<Option<Kept>> {
        let format = plan.options.format;
        match transfer {
            Transfer::Gsp { url, first, chunk } if load.is_stored() => {
                let how = Parts {
                    format,
                    triples: chunk.map_or(u64::MAX, |c| c as u64),
                    progress: self.progress.clone(),
                };
                return self.send_while_reading(load, &how, url, first);
            }
            Transfer::Gsp { url, first, chunk } => {
                let chunk = chunk.unwrap_or(usize::MAX);
                for (i, part) in load.held().chunks(chunk).enumerate() {
                    if interrupted() {
                        return Ok(None);
                    }
                    let method = match i {
                        0 => first.clone(),
                        _ => Method::POST,
                    };
                    let body = serialize(part, format)?;
                    let share = Share::new(self.progress.clone(), part.len() as u64);
                    remote::gsp_load(
                        &self.client,
                        url.clone(),
                        method,
                        format.media_type(),
                        Payload::Bytes(body),
                        share,
                    )?;
                }
            }
            Transfer::Update { batch } => {
                // Read in batches, so that a graph read from the store is not held.
                let mut reading = load.reading();
                loop {
                    if interrupted() {
                        return Ok(None);
                    }
                    let part = (reading.by_ref().take(*batch)).collect::<Result<Vec<_>>>()?;
                    if part.is_empty() {
                        break;
                    }
                    let insert = remote::insert_data(graph, &part);
                    remote::update(&self.client, &self.endpoints, &insert, true)?;
                    self.progress.advance(part.len() as u64);
                }
                return reading.finish();
            }
        }
        Ok(None)
    }

    /// Sends a graph in the parts `how` says while a thread reads it (see
    /// [`super::stream`]): the first part with `first`, the others with `POST`.
    fn send_while_reading(
        &self,
        load: &GraphLoad,
        how: &Parts,
        url: &reqwest::Url,
        first: &Method,
    ) -> Result<Option<Kept>> {
        let media_type = how.format.media_type();
        let make = |parts| stream::produce(load, how, parts);
        Ok(self
            .post_while_made(url, first, media_type, make)?
            .flatten())
    }

    /// Posts the bodies that `make` hands over on a thread of its own, in order, while it
    /// makes the next: the first with `first`, the others with `POST`. Gives back what
    /// `make` returns, or `None` if it was interrupted between two bodies (the caller says
    /// so). If the making fails, its error comes first, not the request's it cut short.
    fn post_while_made<T: Send>(
        &self,
        url: &reqwest::Url,
        first: &Method,
        media_type: &'static str,
        make: impl FnOnce(SyncSender<Part>) -> std::result::Result<T, Stop> + Send,
    ) -> Result<Option<T>> {
        std::thread::scope(|scope| {
            let (sender, parts) = sync_channel(1);
            let maker = scope.spawn(move || make(sender));
            let mut sent = Ok(());
            for (i, part) in parts.iter().enumerate() {
                let method = match i {
                    0 => first.clone(),
                    _ => Method::POST,
                };
                let payload = Payload::Bytes(part.body);
                sent = remote::gsp_load(
                    &self.client,
                    url.clone(),
                    method,
                    media_type,
                    payload,
                    part.share,
                );
                if sent.is_err() {
                    break;
                }
            }
            drop(parts);
            let made = match maker.join() {
                Ok(made) => made,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            match (sent, made) {
                (_, Err(Stop::Failed(error))) => Err(error),
                (Err(error), _) => Err(error),
                (Ok(()), Ok(made)) => Ok(Some(made)),
                (Ok(()), Err(Stop::Interrupted | Stop::Abandoned)) => Ok(None),
            }
        })
    }

    /// Sends the triples of several loads, each into its graph, in one Graph Store `POST`
    /// of a dataset. Where the store takes a chunked body, the body is written by a thread
    /// while it is sent, so that the store starts reading at once.
    fn send_dataset(
        &self,
        plan: &PushPlan,
        step: &Step,
        url: reqwest::Url,
        part: &[usize],
    ) -> Result<KeptOfEach> {
        let format = plan.options.format;
        let graphs = plan.dataset(step);
        let bodies = plan.bodies(&graphs);
        if bodies.len() > 1 {
            // Several bodies, each made whole on a thread while the store loads the one
            // before, as a large graph's parts are.
            let media_type = format.dataset_media_type();
            let progress = &self.progress;
            let make = |parts| stream::produce_dataset(&graphs, &bodies, format, progress, parts);
            let made = self.post_while_made(&url, &Method::POST, media_type, make)?;
            return Ok(made.unwrap_or_default());
        }
        let triples: u64 = part.iter().map(|&i| plan.loads[i].len()).sum();
        let share = Share::new(self.progress.clone(), triples);
        let media_type = format.dataset_media_type();
        if !self.endpoints.chunked_bodies {
            let (body, kept) = serialize_dataset(&graphs, format)?;
            remote::gsp_load(
                &self.client,
                url,
                Method::POST,
                media_type,
                Payload::Bytes(body),
                share,
            )?;
            return Ok(kept);
        }
        std::thread::scope(|scope| {
            let (writer, reader) = pipe();
            let graphs = &graphs;
            let writing = scope.spawn(move || {
                let (writer, kept) = write_dataset(graphs, format, writer)?;
                // The reader is gone: the request ended, and says why.
                writer.finish().map_err(|source| Error::Io {
                    path: "<request body>".into(),
                    source,
                })?;
                Ok(kept)
            });
            let payload = Payload::Stream(Box::new(reader));
            let sent =
                remote::gsp_load(&self.client, url, Method::POST, media_type, payload, share);
            let written = match writing.join() {
                Ok(written) => written,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            // A request cut short stops the writing too: its error says why.
            sent.and(written)
        })
    }

    /// Sends small graphs in one `INSERT DATA`, a `GRAPH` block each.
    fn insert_graphs(&self, plan: &PushPlan, step: &Step) -> Result<KeptOfEach> {
        let graphs = plan.dataset(step);
        let (insert, kept) = remote::insert_data_graphs(&graphs)?;
        remote::update(&self.client, &self.endpoints, &insert, true)?;
        let triples: u64 = graphs.iter().map(|(_, load)| load.len()).sum();
        self.progress.advance(triples);
        Ok(kept)
    }

    /// Empties graphs in one update request (a `DROP SILENT` for each).
    fn drop_all_silent<'a>(&self, graphs: impl Iterator<Item = &'a NamedNode>) -> Result<()> {
        let drops: Vec<String> = graphs.map(|g| format!("DROP SILENT GRAPH {g}")).collect();
        remote::update(&self.client, &self.endpoints, &drops.join(" ;\n"), true)
    }

    /// Counts the staging graphs of some loads in one request and fails unless each holds
    /// what was sent to it.
    fn check_staged(
        &self,
        loads: &[GraphLoad],
        part: &[usize],
        graphs: &[NamedNode],
        run: &mut Run,
    ) -> Result<()> {
        let held = remote::count(&self.client, &self.endpoints, graphs)?;
        let mut wrong: Vec<String> = Vec::new();
        for ((&load, graph), held) in part.iter().zip(graphs).zip(held) {
            let kept = self.kept(loads, load, run)?;
            if held != self.expected(&kept) {
                wrong.push(mismatch(&kept, graph, held));
            }
        }
        if wrong.is_empty() {
            return Ok(());
        }
        Err(Error::Remote {
            url: self.endpoints.query.to_string(),
            message: wrong.join("; "),
            advice: None,
            source: None,
        })
    }
}

/// The targets of some loads, for messages: "X", "X, Y", "X, Y, Z and 4 other graphs".
fn targets(loads: &[GraphLoad], part: &[usize]) -> String {
    let names: Vec<String> = (part.iter().take(3))
        .map(|&i| loads[i].target.to_string())
        .collect();
    match part.len() {
        0..=3 => names.join(", "),
        n => format!("{} and {} other graphs", names.join(", "), n - 3),
    }
}

/// The graphs swapped in before `load`, for messages: "no graph was", "X was", "X, Y were".
fn swapped_before(loads: &[GraphLoad], load: usize) -> String {
    let done: Vec<String> = loads[..load].iter().map(|l| l.target.to_string()).collect();
    match done.len() {
        0 => "no graph was".to_owned(),
        1 => format!("{} was", done[0]),
        _ => format!("{} were", done.join(", ")),
    }
}
