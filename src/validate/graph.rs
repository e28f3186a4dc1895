//! The data graph that validation reads: its triples behind [`Lookup`], the few lookups
//! rudof's engine, the reports and the provenance rule make, and [`DataGraph`], a compact
//! read-only graph for large data.
//!
//! An `oxrdf::Graph` keeps six B-tree indexes of its interned triples, about a kilobyte a
//! triple, and building them was a fifth of a validated build's CPU time at a million
//! triples. Validation only reads the graph once built, so [`DataGraph`] numbers each
//! distinct term once (found by a hash table of numbers) and keeps three sorted arrays of numbers (subject–predicate–object,
//! and two orders of positions into it, with where each term's own triples start in each): about 20 bytes a triple plus the terms. Both
//! implement [`Lookup`], so small graphs built by hand (tests, shapes) still validate.

use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef, TripleRef};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

/// Boxed iterators: the trait is used as `&dyn Lookup`.
type Iter<'a, T> = Box<dyn Iterator<Item = T> + 'a>;

/// What validation reads of a graph.
pub trait Lookup: Send + Sync {
    /// The number of distinct triples.
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn iter(&self) -> Iter<'_, TripleRef<'_>>;
    fn contains(&self, triple: TripleRef<'_>) -> bool;
    fn triples_for_subject<'a>(
        &'a self,
        subject: NamedOrBlankNodeRef<'_>,
    ) -> Iter<'a, TripleRef<'a>>;
    fn triples_for_predicate<'a>(&'a self, predicate: NamedNodeRef<'_>) -> Iter<'a, TripleRef<'a>>;
    fn triples_for_object<'a>(&'a self, object: TermRef<'_>) -> Iter<'a, TripleRef<'a>>;
    fn objects_for_subject_predicate<'a>(
        &'a self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Iter<'a, TermRef<'a>>;
    fn subjects_for_predicate_object<'a>(
        &'a self,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Iter<'a, NamedOrBlankNodeRef<'a>>;
}

/// A shared graph reads as the graph.
impl<G: Lookup + ?Sized> Lookup for std::sync::Arc<G> {
    fn len(&self) -> usize {
        (**self).len()
    }
    fn iter(&self) -> Iter<'_, TripleRef<'_>> {
        (**self).iter()
    }
    fn contains(&self, triple: TripleRef<'_>) -> bool {
        (**self).contains(triple)
    }
    fn triples_for_subject<'a>(
        &'a self,
        subject: NamedOrBlankNodeRef<'_>,
    ) -> Iter<'a, TripleRef<'a>> {
        (**self).triples_for_subject(subject)
    }
    fn triples_for_predicate<'a>(&'a self, predicate: NamedNodeRef<'_>) -> Iter<'a, TripleRef<'a>> {
        (**self).triples_for_predicate(predicate)
    }
    fn triples_for_object<'a>(&'a self, object: TermRef<'_>) -> Iter<'a, TripleRef<'a>> {
        (**self).triples_for_object(object)
    }
    fn objects_for_subject_predicate<'a>(
        &'a self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Iter<'a, TermRef<'a>> {
        (**self).objects_for_subject_predicate(subject, predicate)
    }
    fn subjects_for_predicate_object<'a>(
        &'a self,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Iter<'a, NamedOrBlankNodeRef<'a>> {
        (**self).subjects_for_predicate_object(predicate, object)
    }
}

impl Lookup for Graph {
    fn len(&self) -> usize {
        Graph::len(self)
    }
    fn iter(&self) -> Iter<'_, TripleRef<'_>> {
        Box::new(Graph::iter(self))
    }
    fn contains(&self, triple: TripleRef<'_>) -> bool {
        Graph::contains(self, triple)
    }
    fn triples_for_subject<'a>(
        &'a self,
        subject: NamedOrBlankNodeRef<'_>,
    ) -> Iter<'a, TripleRef<'a>> {
        Box::new(Graph::triples_for_subject(self, subject))
    }
    fn triples_for_predicate<'a>(&'a self, predicate: NamedNodeRef<'_>) -> Iter<'a, TripleRef<'a>> {
        Box::new(Graph::triples_for_predicate(self, predicate))
    }
    fn triples_for_object<'a>(&'a self, object: TermRef<'_>) -> Iter<'a, TripleRef<'a>> {
        Box::new(Graph::triples_for_object(self, object))
    }
    fn objects_for_subject_predicate<'a>(
        &'a self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Iter<'a, TermRef<'a>> {
        Box::new(Graph::objects_for_subject_predicate(
            self, subject, predicate,
        ))
    }
    fn subjects_for_predicate_object<'a>(
        &'a self,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Iter<'a, NamedOrBlankNodeRef<'a>> {
        Box::new(Graph::subjects_for_predicate_object(
            self, predicate, object,
        ))
    }
}

/// A read-only graph of numbered terms: each distinct term once, each distinct triple once
/// as three numbers, sorted three ways.
#[derive(Debug, Default)]
pub struct DataGraph {
    /// The terms, by number.
    terms: Vec<Term>,
    /// A hash table of the terms' numbers, to find a term's number: open addressing with
    /// linear probing, each slot the high half of the term's hash and its number plus one
    /// (0 for an empty slot); a power of two of slots, at most half of them full.
    table: Vec<(u32, u32)>,
    /// The triples as numbers, sorted subject, predicate, object; distinct.
    spo: Vec<[u32; 3]>,
    /// Positions in `spo`, sorted by predicate, object, subject.
    pos: Vec<u32>,
    /// Positions in `spo`, sorted by object, subject, predicate.
    osp: Vec<u32>,
    /// Where each term's triples start in `spo` as subject, in `pos` as predicate and in
    /// `osp` as object, by term number (one more entry than terms: where they end), so that
    /// a lookup searches only the term's own triples: a binary search over the whole array
    /// missed the cache at every step and grew with the graph.
    by_subject: Vec<u32>,
    by_predicate: Vec<u32>,
    by_object: Vec<u32>,
}

impl DataGraph {
    /// The graph of these triples, each once however often it is given.
    pub fn from_triples<'a>(triples: impl IntoIterator<Item = TripleRef<'a>>) -> Self {
        let mut numbers: HashMap<TermRef<'a>, u32> = HashMap::new();
        let mut order: Vec<TermRef<'a>> = Vec::new();
        let mut number = |term: TermRef<'a>| -> u32 {
            *numbers.entry(term).or_insert_with(|| {
                order.push(term);
                // More than 2³² distinct terms do not fit in memory anyway.
                u32::try_from(order.len() - 1).unwrap_or(u32::MAX)
            })
        };
        let mut spo: Vec<[u32; 3]> = triples
            .into_iter()
            .map(|t| {
                [
                    number(t.subject.into()),
                    number(t.predicate.into()),
                    number(t.object),
                ]
            })
            .collect();
        drop(numbers);
        spo.sort_unstable();
        spo.dedup();
        spo.shrink_to_fit();
        let terms: Vec<Term> = order.into_iter().map(TermRef::into_owned).collect();
        let mut table = vec![(0, 0); (terms.len() * 2).next_power_of_two().max(2)];
        let mask = table.len() - 1;
        for (number, term) in (1..).zip(&terms) {
            let hash = hash_of(term.as_ref());
            let mut slot = hash as usize & mask;
            while table[slot].1 != 0 {
                slot = (slot + 1) & mask;
            }
            table[slot] = ((hash >> 32) as u32, number);
        }
        let positions = || (0..spo.len()).map(|i| i as u32).collect::<Vec<u32>>();
        let mut pos = positions();
        pos.sort_unstable_by_key(|i| {
            let [s, p, o] = spo[*i as usize];
            (p, o, s)
        });
        let mut osp = positions();
        osp.sort_unstable_by_key(|i| {
            let [s, p, o] = spo[*i as usize];
            (o, s, p)
        });
        let by_subject = starts(terms.len(), spo.iter().map(|t| t[0]));
        let by_predicate = starts(terms.len(), pos.iter().map(|i| spo[*i as usize][1]));
        let by_object = starts(terms.len(), osp.iter().map(|i| spo[*i as usize][2]));
        Self {
            terms,
            table,
            spo,
            pos,
            osp,
            by_subject,
            by_predicate,
            by_object,
        }
    }

    /// The graph of the triples of these quads, whatever their graph.
    pub fn from_quads<'a>(quads: impl IntoIterator<Item = &'a Quad>) -> Self {
        Self::from_triples(
            quads
                .into_iter()
                .map(|q| TripleRef::new(&q.subject, &q.predicate, &q.object)),
        )
    }

    /// The number of a term, if the graph has it.
    fn number(&self, term: TermRef<'_>) -> Option<u32> {
        let mask = self.table.len().checked_sub(1)?;
        let hash = hash_of(term);
        let tag = (hash >> 32) as u32;
        let mut slot = hash as usize & mask;
        loop {
            let (tag_of_slot, number) = self.table[slot];
            if number == 0 {
                return None;
            }
            if tag_of_slot == tag && self.terms[number as usize - 1].as_ref() == term {
                return Some(number - 1);
            }
            slot = (slot + 1) & mask;
        }
    }

    fn term(&self, number: u32) -> TermRef<'_> {
        self.terms[number as usize].as_ref()
    }

    fn subject(&self, number: u32) -> NamedOrBlankNodeRef<'_> {
        match self.term(number) {
            TermRef::NamedNode(n) => n.into(),
            TermRef::BlankNode(b) => b.into(),
            // A number in subject position was given to a subject.
            _ => unreachable!("a subject is an IRI or a blank node"),
        }
    }

    fn predicate(&self, number: u32) -> NamedNodeRef<'_> {
        match self.term(number) {
            TermRef::NamedNode(n) => n,
            // A number in predicate position was given to a predicate.
            _ => unreachable!("a predicate is an IRI"),
        }
    }

    fn triple(&self, [s, p, o]: [u32; 3]) -> TripleRef<'_> {
        TripleRef::new(self.subject(s), self.predicate(p), self.term(o))
    }

    /// The positions of `spo` whose first numbers are `prefix`.
    fn spo_range(&self, prefix: &[u32]) -> Range<usize> {
        let n = prefix.len();
        let first = range_of(&self.by_subject, prefix[0]);
        let within = &self.spo[first.clone()];
        let start = within.partition_point(|t| t[..n] < *prefix);
        let end = within.partition_point(|t| t[..n] <= *prefix);
        first.start + start..first.start + end
    }

    /// The range of an index of positions whose triples' key (`key` of the triple) starts
    /// with `prefix`.
    fn index_range(
        &self,
        index: &[u32],
        starts: &[u32],
        prefix: &[u32],
        key: fn([u32; 3]) -> [u32; 3],
    ) -> Range<usize> {
        let n = prefix.len();
        let first = range_of(starts, prefix[0]);
        let within = &index[first.clone()];
        let key_of = |i: &u32| key(self.spo[*i as usize]);
        let start = within.partition_point(|i| key_of(i)[..n] < *prefix);
        let end = within.partition_point(|i| key_of(i)[..n] <= *prefix);
        first.start + start..first.start + end
    }

    fn triples_at<'a>(&'a self, index: &'a [u32], range: Range<usize>) -> Iter<'a, TripleRef<'a>> {
        Box::new(
            index[range]
                .iter()
                .map(|i| self.triple(self.spo[*i as usize])),
        )
    }
}

/// Where the entries of each term start in an array sorted by term number, whose entries'
/// term numbers are `keys`, in order; the last entry is the array's length.
fn starts(terms: usize, keys: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut starts = vec![0u32; terms + 1];
    for key in keys {
        starts[key as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    starts
}

/// The entries of term `number` in an array that `starts` describes.
fn range_of(starts: &[u32], number: u32) -> Range<usize> {
    starts[number as usize] as usize..starts[number as usize + 1] as usize
}

fn pos_key([s, p, o]: [u32; 3]) -> [u32; 3] {
    [p, o, s]
}

fn osp_key([s, p, o]: [u32; 3]) -> [u32; 3] {
    [o, s, p]
}

/// The hash of a term that the table of numbers uses (SipHash with fixed keys).
fn hash_of(term: TermRef<'_>) -> u64 {
    let mut hasher = DefaultHasher::new();
    term.hash(&mut hasher);
    hasher.finish()
}

impl Lookup for DataGraph {
    fn len(&self) -> usize {
        self.spo.len()
    }

    fn iter(&self) -> Iter<'_, TripleRef<'_>> {
        Box::new(self.spo.iter().map(|t| self.triple(*t)))
    }

    fn contains(&self, triple: TripleRef<'_>) -> bool {
        let (Some(s), Some(p), Some(o)) = (
            self.number(triple.subject.into()),
            self.number(triple.predicate.into()),
            self.number(triple.object),
        ) else {
            return false;
        };
        !self.spo_range(&[s, p, o]).is_empty()
    }

    fn triples_for_subject<'a>(
        &'a self,
        subject: NamedOrBlankNodeRef<'_>,
    ) -> Iter<'a, TripleRef<'a>> {
        let Some(s) = self.number(subject.into()) else {
            return Box::new(std::iter::empty());
        };
        let range = self.spo_range(&[s]);
        Box::new(self.spo[range].iter().map(|t| self.triple(*t)))
    }

    fn triples_for_predicate<'a>(&'a self, predicate: NamedNodeRef<'_>) -> Iter<'a, TripleRef<'a>> {
        let Some(p) = self.number(predicate.into()) else {
            return Box::new(std::iter::empty());
        };
        let range = self.index_range(&self.pos, &self.by_predicate, &[p], pos_key);
        self.triples_at(&self.pos, range)
    }

    fn triples_for_object<'a>(&'a self, object: TermRef<'_>) -> Iter<'a, TripleRef<'a>> {
        let Some(o) = self.number(object) else {
            return Box::new(std::iter::empty());
        };
        let range = self.index_range(&self.osp, &self.by_object, &[o], osp_key);
        self.triples_at(&self.osp, range)
    }

    fn objects_for_subject_predicate<'a>(
        &'a self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Iter<'a, TermRef<'a>> {
        let (Some(s), Some(p)) = (self.number(subject.into()), self.number(predicate.into()))
        else {
            return Box::new(std::iter::empty());
        };
        let range = self.spo_range(&[s, p]);
        Box::new(self.spo[range].iter().map(|t| self.term(t[2])))
    }

    fn subjects_for_predicate_object<'a>(
        &'a self,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Iter<'a, NamedOrBlankNodeRef<'a>> {
        let (Some(p), Some(o)) = (self.number(predicate.into()), self.number(object)) else {
            return Box::new(std::iter::empty());
        };
        let range = self.index_range(&self.pos, &self.by_predicate, &[p, o], pos_key);
        Box::new(
            self.pos[range]
                .iter()
                .map(|i| self.subject(self.spo[*i as usize][0])),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{NamedNode, Triple};
    use std::collections::BTreeSet;

    const DATA: &str = r#"@prefix ex: <http://example.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:a ex:p ex:b , "1"^^xsd:integer , "1" , "1"@en , "1"@fr , _:x .
        ex:b ex:p ex:a ; ex:q ex:a , ex:b .
        _:x ex:q "1" , ex:p .
        ex:p ex:p ex:p .
        ex:a ex:p ex:b ."#;

    fn both() -> (Graph, DataGraph) {
        let triples: Vec<Triple> = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(DATA.as_bytes())
            .map(|q| Triple::from(q.unwrap()))
            .collect();
        let mut graph = Graph::new();
        for t in &triples {
            graph.insert(t);
        }
        let data = DataGraph::from_triples(triples.iter().map(Triple::as_ref));
        (graph, data)
    }

    fn set<'a>(triples: impl Iterator<Item = TripleRef<'a>>) -> BTreeSet<String> {
        triples.map(|t| t.to_string()).collect()
    }

    /// Every lookup of the compact graph gives what the same lookup of an `oxrdf::Graph`
    /// gives, for every term of the graph and a term it does not have.
    #[test]
    fn the_compact_graph_answers_every_lookup_as_an_oxrdf_graph() {
        let (graph, data) = both();
        let g: &dyn Lookup = &graph;
        let d: &dyn Lookup = &data;
        assert_eq!(g.len(), d.len());
        assert_eq!(d.len(), 12);
        assert_eq!(set(g.iter()), set(d.iter()));
        let absent = Term::from(NamedNode::new_unchecked("http://example.org/absent"));
        let mut terms: Vec<Term> = graph
            .iter()
            .flat_map(|t| {
                let t = t.into_owned();
                [t.subject.into(), t.predicate.into(), t.object]
            })
            .collect();
        terms.push(absent);
        for a in &terms {
            assert_eq!(
                set(g.triples_for_object(a.as_ref())),
                set(d.triples_for_object(a.as_ref()))
            );
            let subject = match a {
                Term::NamedNode(n) => Some(NamedOrBlankNodeRef::from(n.as_ref())),
                Term::BlankNode(b) => Some(b.as_ref().into()),
                _ => None,
            };
            let predicate = match a {
                Term::NamedNode(n) => Some(n.as_ref()),
                _ => None,
            };
            if let Some(s) = subject {
                assert_eq!(set(g.triples_for_subject(s)), set(d.triples_for_subject(s)));
            }
            if let Some(p) = predicate {
                assert_eq!(
                    set(g.triples_for_predicate(p)),
                    set(d.triples_for_predicate(p))
                );
            }
            for b in &terms {
                if let Some(p) = predicate {
                    let subjects = |l: &dyn Lookup| -> BTreeSet<String> {
                        l.subjects_for_predicate_object(p, b.as_ref())
                            .map(|s| s.to_string())
                            .collect()
                    };
                    assert_eq!(subjects(g), subjects(d));
                }
                let Some(s) = subject else { continue };
                let Term::NamedNode(p) = b else { continue };
                let objects = |l: &dyn Lookup| -> BTreeSet<String> {
                    l.objects_for_subject_predicate(s, p.as_ref())
                        .map(|o| o.to_string())
                        .collect()
                };
                assert_eq!(objects(g), objects(d));
                for c in &terms {
                    let t = TripleRef::new(s, p.as_ref(), c.as_ref());
                    assert_eq!(g.contains(t), d.contains(t), "{t}");
                }
            }
        }
    }
}
