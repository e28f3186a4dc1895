//! Maps checked records onto quads: pure, no I/O, no blank nodes.
//!
//! Each record's facts go into the named graph of its source; identifiers go into the graph
//! of the registry that issued them; country codes, names and regions into the graph of the
//! reference data; ranks of disagreeing statements into the editorial graph. Every entity
//! gets a label and a `prov:wasDerivedFrom` link to its source in each graph it appears in.

pub mod origin;

use crate::base::error::{Error, Result};
use crate::base::iri::{self, Kind};
use crate::base::vocab;
use crate::model::load::{self, DataRoot, Parsed};
use crate::model::reference;
use crate::model::{
    Attendance, Concept, DataFile, Event, EventKind, Grant, Observation, Organisation,
    OrganisationKind, Project, ProjectKind, Rank, Scheme, Source, SourceKind, Unit, Work, WorkKind,
};
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The source of the ranks given to statements that disagree.
pub const EDITORIAL_SOURCE: &str = "tipkg-editorial";
/// The source of country codes, names and regions.
pub const REFERENCE_SOURCE: &str = "iso-3166-un-m49";
/// The registries whose identifiers records carry.
pub const WIKIDATA_SOURCE: &str = "wikidata";
pub const IATI_SOURCE: &str = "iati-organisation-identifiers";
pub const ROR_SOURCE: &str = "ror";

fn ns(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}
fn schema(local: &str) -> NamedNode {
    ns(vocab::SCHEMA, local)
}
fn org(local: &str) -> NamedNode {
    ns(vocab::ORG, local)
}
fn prov(local: &str) -> NamedNode {
    ns(vocab::PROV, local)
}
fn skos(local: &str) -> NamedNode {
    ns(vocab::SKOS, local)
}
fn dcterms(local: &str) -> NamedNode {
    ns(vocab::DCTERMS, local)
}
fn qb(local: &str) -> NamedNode {
    ns(vocab::QB, local)
}
fn dcat(local: &str) -> NamedNode {
    ns(vocab::DCAT, local)
}

/// The datatype of a date as the data writes it: a year, a month or a day.
fn date_literal(value: &str) -> Literal {
    let datatype = match value.len() {
        4 => xsd::G_YEAR,
        7 => xsd::G_YEAR_MONTH,
        _ => xsd::DATE,
    };
    Literal::new_typed_literal(value, datatype)
}

/// A decimal literal in the canonical form stores give it back in ("35", "6.6").
fn decimal_literal(value: f64) -> Literal {
    // Rust prints the shortest text that reads back as the same double: "35", "6.6".
    let text = value.to_string();
    Literal::new_typed_literal(text, xsd::DECIMAL)
}

/// Collects the quads of one graph at a time.
struct Writer<'m> {
    quads: &'m mut Vec<Quad>,
    graph: GraphName,
    language: String,
    source: NamedNode,
}

impl Writer<'_> {
    fn add(&mut self, subject: &NamedNode, predicate: NamedNode, object: impl Into<Term>) {
        self.quads.push(Quad::new(
            subject.clone(),
            predicate,
            object.into(),
            self.graph.clone(),
        ));
    }

    /// Links `subject` to the entities of one kind that `refs` name.
    fn links<'r>(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNode,
        kind: Kind,
        refs: impl IntoIterator<Item = &'r crate::model::Ref>,
    ) {
        for r in refs {
            self.add(subject, predicate.clone(), iri::entity(kind, r.get_ref()));
        }
    }

    fn text(&mut self, subject: &NamedNode, predicate: NamedNode, value: &str) {
        let literal = Literal::new_language_tagged_literal(value, &self.language)
            .unwrap_or_else(|_| Literal::new_simple_literal(value));
        self.add(subject, predicate, literal);
    }

    fn a(&mut self, subject: &NamedNode, class: NamedNode) {
        self.add(subject, rdf::TYPE.into_owned(), class);
    }

    /// The label triples every entity gets: `skos:prefLabel`, and `schema:name` for things
    /// schema.org describes.
    fn label(&mut self, subject: &NamedNode, label: &str, with_schema_name: bool) {
        self.text(subject, skos("prefLabel"), label);
        if with_schema_name {
            self.text(subject, schema("name"), label);
        }
    }

    fn acronym(&mut self, subject: &NamedNode, acronym: &str) {
        self.text(subject, skos("altLabel"), acronym);
        self.text(subject, schema("alternateName"), acronym);
    }

    /// Provenance of an entity in this graph, with the passages it rests on.
    fn derived(&mut self, subject: &NamedNode, quotes: impl IntoIterator<Item = impl AsRef<str>>) {
        let source = self.source.clone();
        self.add(subject, prov("wasDerivedFrom"), source);
        for quote in quotes {
            self.text(subject, iri::term("evidenceQuote"), quote.as_ref());
        }
    }
}

/// What the mapping needs to know across records.
struct Context<'p> {
    languages: HashMap<&'p str, &'p str>,
    concept_schemes: HashMap<&'p str, &'p str>,
    names: HashMap<(Kind, &'p str), &'p str>,
    concept_labels: HashMap<&'p str, &'p str>,
    /// Entities with a record, per source: what each document mentions.
    mentions: BTreeMap<&'p str, BTreeSet<NamedNode>>,
}

/// Maps every checked record to quads. The ontology is added by the store, not here.
pub fn map(parsed: &Parsed) -> Vec<Quad> {
    let data: Vec<&DataFile> = parsed.data.iter().map(|l| &l.record).collect();
    let mut context = Context {
        languages: parsed
            .sources
            .iter()
            .map(|s| {
                (
                    s.record.id.get_ref().as_str(),
                    s.record.language.get_ref().as_str(),
                )
            })
            .collect(),
        concept_schemes: HashMap::new(),
        names: HashMap::new(),
        concept_labels: HashMap::new(),
        mentions: BTreeMap::new(),
    };
    for d in &data {
        for c in &d.concept {
            if let Some(s) = &c.scheme {
                context
                    .concept_schemes
                    .entry(c.id.get_ref())
                    .or_insert(s.get_ref());
            }
            if let Some(l) = &c.label {
                context.concept_labels.entry(c.id.get_ref()).or_insert(l);
            }
        }
        for o in &d.organisation {
            if let Some(n) = &o.name {
                context
                    .names
                    .entry((Kind::Organisation, o.id.get_ref()))
                    .or_insert(n);
            }
        }
        for p in &d.project {
            if let Some(n) = &p.name {
                context
                    .names
                    .entry((Kind::Project, p.id.get_ref()))
                    .or_insert(n);
            }
        }
        for e in &d.event {
            if let Some(n) = &e.name {
                context
                    .names
                    .entry((Kind::Event, e.id.get_ref()))
                    .or_insert(n);
            }
        }
    }
    let mut quads = Vec::new();
    let mut mapper = Mapper {
        quads: &mut quads,
        context: &mut context,
    };
    for d in &data {
        d.organisation.iter().for_each(|r| mapper.organisation(r));
        d.event.iter().for_each(|r| mapper.event(r));
        d.project.iter().for_each(|r| mapper.project(r));
        d.work.iter().for_each(|r| mapper.work(r));
        d.grant.iter().for_each(|r| mapper.grant(r));
        d.observation.iter().for_each(|r| mapper.observation(r));
        d.scheme.iter().for_each(|r| mapper.scheme(r));
        d.concept.iter().for_each(|r| mapper.concept(r));
    }
    mapper.countries(&data);
    for s in &parsed.sources {
        let text = s
            .record
            .text_file
            .as_ref()
            .and_then(|t| parsed.text_of(&format!("sources/{}", t.get_ref())));
        mapper.source(&s.record, text);
    }
    quads
}

struct Mapper<'q, 'c, 'p> {
    quads: &'q mut Vec<Quad>,
    context: &'c mut Context<'p>,
}

impl<'p> Mapper<'_, '_, 'p> {
    fn writer(&mut self, source: &str) -> Writer<'_> {
        Writer {
            quads: self.quads,
            graph: iri::graph(source).into(),
            language: self
                .context
                .languages
                .get(source)
                .copied()
                .unwrap_or("en")
                .to_owned(),
            source: iri::entity(Kind::Source, source),
        }
    }

    fn mention(&mut self, source: &'p str, entity: &NamedNode) {
        self.context
            .mentions
            .entry(source)
            .or_default()
            .insert(entity.clone());
    }

    fn concept_iri(&self, id: &str) -> NamedNode {
        let scheme = self
            .context
            .concept_schemes
            .get(id)
            .copied()
            .unwrap_or("topic");
        iri::concept(scheme, id)
    }

    fn subjects(&mut self, source: &str, subject: &NamedNode, topics: &[crate::model::Ref]) {
        let topics: Vec<NamedNode> = topics
            .iter()
            .map(|t| self.concept_iri(t.get_ref()))
            .collect();
        let mut w = self.writer(source);
        for topic in topics {
            w.add(subject, dcterms("subject"), topic);
        }
    }

    fn organisation(&mut self, r: &'p Organisation) {
        let source = r.source.get_ref().as_str();
        let s = iri::entity(Kind::Organisation, r.id.get_ref());
        self.mention(source, &s);
        let mut w = self.writer(source);
        if let Some(kind) = r.kind {
            w.a(&s, schema("Organization"));
            w.a(
                &s,
                org(match kind {
                    OrganisationKind::Formal => "FormalOrganization",
                    OrganisationKind::Unit => "OrganizationalUnit",
                    OrganisationKind::Collaboration => "OrganizationalCollaboration",
                }),
            );
        }
        if let Some(name) = &r.name {
            w.label(&s, name, true);
        }
        if let Some(acronym) = &r.acronym {
            w.acronym(&s, acronym);
        }
        if let Some(d) = &r.description {
            w.text(&s, schema("description"), d);
        }
        if let Some(parent) = &r.unit_of {
            let parent = iri::entity(Kind::Organisation, parent.get_ref());
            w.add(&s, org("unitOf"), parent.clone());
            w.add(&parent, org("hasUnit"), s.clone());
        }
        if let Some(date) = &r.founded {
            w.add(&s, schema("foundingDate"), date_literal(date.get_ref()));
        }
        w.links(&s, schema("founder"), Kind::Organisation, &r.founders);
        if let Some(instrument) = &r.established_under {
            w.add(
                &s,
                iri::term("establishedUnder"),
                iri::entity(Kind::Work, instrument.get_ref()),
            );
        }
        if let Some(coordinator) = &r.coordinator {
            w.add(
                &s,
                iri::term("coordinatedBy"),
                iri::entity(Kind::Organisation, coordinator.get_ref()),
            );
        }
        if let Some(count) = r.member_count {
            w.add(
                &s,
                iri::term("memberCount"),
                Literal::new_typed_literal(count.to_string(), xsd::INTEGER),
            );
        }
        if let Some(location) = &r.location {
            w.text(&s, schema("location"), location);
        }
        if let Some(site) = &r.website {
            w.add(&s, schema("url"), NamedNode::new_unchecked(site.get_ref()));
        }
        w.derived(&s, r.quotes.iter().map(|q| q.get_ref()));
        self.subjects(source, &s, &r.about);
        if let Some(q) = &r.wikidata {
            let mut w = self.writer(WIKIDATA_SOURCE);
            w.add(&s, schema("sameAs"), iri::wikidata(q.get_ref()));
            w.derived(&s, None::<&str>);
        }
        if let Some(code) = &r.iati {
            let mut w = self.writer(IATI_SOURCE);
            w.add(
                &s,
                iri::term("iatiIdentifier"),
                Literal::new_simple_literal(code.get_ref()),
            );
            w.derived(&s, None::<&str>);
        }
        if let Some(code) = &r.ror {
            let mut w = self.writer(ROR_SOURCE);
            w.add(
                &s,
                iri::term("rorIdentifier"),
                Literal::new_simple_literal(code.get_ref()),
            );
            w.add(
                &s,
                schema("sameAs"),
                NamedNode::new_unchecked(format!("https://ror.org/{}", code.get_ref())),
            );
            w.derived(&s, None::<&str>);
        }
    }

    fn event(&mut self, r: &'p Event) {
        let source = r.source.get_ref().as_str();
        let slug = r.id.get_ref().as_str();
        let s = iri::entity(Kind::Event, slug);
        self.mention(source, &s);
        let participations: Vec<_> = r
            .participant
            .iter()
            .map(|p| {
                let org_id = p.organisation.get_ref().as_str();
                let role_id = p.role.get_ref().as_str();
                let node = iri::part(Kind::Participation, slug, &format!("{org_id}-{role_id}"));
                let org_name = self
                    .context
                    .names
                    .get(&(Kind::Organisation, org_id))
                    .copied()
                    .unwrap_or(org_id);
                let role = self
                    .context
                    .concept_labels
                    .get(role_id)
                    .copied()
                    .unwrap_or(role_id);
                let event_name = self
                    .context
                    .names
                    .get(&(Kind::Event, slug))
                    .copied()
                    .unwrap_or(slug);
                let label = format!("{org_name} as {role} of {event_name}");
                let presented: Vec<NamedNode> = p
                    .presented
                    .iter()
                    .map(|x| {
                        let kind = if self
                            .context
                            .names
                            .contains_key(&(Kind::Project, x.get_ref().as_str()))
                        {
                            Kind::Project
                        } else {
                            Kind::Work
                        };
                        iri::entity(kind, x.get_ref())
                    })
                    .collect();
                (p, node, self.concept_iri(role_id), label, presented)
            })
            .collect();
        let participant_topics: Vec<Vec<NamedNode>> = r
            .participant
            .iter()
            .map(|p| {
                p.about
                    .iter()
                    .map(|t| self.concept_iri(t.get_ref()))
                    .collect()
            })
            .collect();
        let mut w = self.writer(source);
        if let Some(kind) = r.kind {
            w.a(
                &s,
                schema(match kind {
                    EventKind::Launch => "PublicationEvent",
                    EventKind::Discussion | EventKind::Congress => "Event",
                }),
            );
        }
        if let Some(name) = &r.name {
            w.label(&s, name, true);
        }
        if let Some(d) = &r.description {
            w.text(&s, schema("description"), d);
        }
        if let Some(start) = &r.start {
            w.add(&s, schema("startDate"), date_literal(start.get_ref()));
        }
        if let Some(mode) = r.attendance {
            w.add(
                &s,
                schema("eventAttendanceMode"),
                schema(match mode {
                    Attendance::Online => "OnlineEventAttendanceMode",
                    Attendance::Offline => "OfflineEventAttendanceMode",
                    Attendance::Mixed => "MixedEventAttendanceMode",
                }),
            );
        }
        if let Some(location) = &r.location {
            w.text(&s, schema("location"), location);
        }
        if let Some(o) = &r.organiser {
            w.add(
                &s,
                schema("organizer"),
                iri::entity(Kind::Organisation, o.get_ref()),
            );
        }
        w.links(
            &s,
            iri::term("collaborator"),
            Kind::Organisation,
            &r.collaborators,
        );
        w.links(&s, iri::term("basedOn"), Kind::Work, &r.based_on);
        w.links(
            &s,
            iri::term("motivatedBy"),
            Kind::Observation,
            &r.motivated_by,
        );
        if let Some(rec) = &r.recording {
            let recording = iri::entity(Kind::Work, rec.get_ref());
            w.add(&s, schema("recordedIn"), recording.clone());
            w.add(&recording, schema("recordedAt"), s.clone());
        }
        w.derived(&s, r.quotes.iter().map(|q| q.get_ref()));
        for ((p, node, role, label, presented), topics) in
            participations.iter().zip(participant_topics)
        {
            let participant = iri::entity(Kind::Organisation, p.organisation.get_ref());
            w.add(&s, iri::term("participation"), node.clone());
            w.add(&s, schema("performer"), participant.clone());
            w.a(node, iri::term("Participation"));
            w.label(node, label, false);
            w.add(node, iri::term("participant"), participant);
            w.add(node, iri::term("role"), role.clone());
            for presented in presented {
                w.add(node, iri::term("presented"), presented.clone());
            }
            for topic in topics {
                w.add(node, dcterms("subject"), topic);
            }
            w.derived(node, p.quote.iter().map(|q| q.get_ref()));
        }
        self.subjects(source, &s, &r.about);
    }

    fn project(&mut self, r: &'p Project) {
        let source = r.source.get_ref().as_str();
        let s = iri::entity(Kind::Project, r.id.get_ref());
        self.mention(source, &s);
        let mut w = self.writer(source);
        if let Some(kind) = r.kind {
            w.a(
                &s,
                schema(match kind {
                    ProjectKind::Project => "Project",
                    ProjectKind::ResearchProject => "ResearchProject",
                }),
            );
        }
        if let Some(name) = &r.name {
            w.label(&s, name, true);
        }
        if let Some(acronym) = &r.acronym {
            w.acronym(&s, acronym);
        }
        if let Some(d) = &r.description {
            w.text(&s, schema("description"), d);
        }
        if let Some(i) = &r.implementer {
            w.add(
                &s,
                iri::term("implementedBy"),
                iri::entity(Kind::Organisation, i.get_ref()),
            );
        }
        w.links(&s, iri::term("partner"), Kind::Organisation, &r.partners);
        w.links(&s, schema("funder"), Kind::Organisation, &r.funders);
        w.links(&s, schema("areaServed"), Kind::Country, &r.countries);
        if let Some(d) = &r.start {
            w.add(&s, schema("startDate"), date_literal(d.get_ref()));
        }
        if let Some(d) = &r.end {
            w.add(&s, schema("endDate"), date_literal(d.get_ref()));
        }
        w.derived(&s, r.quotes.iter().map(|q| q.get_ref()));
        let assistance: Vec<NamedNode> = r
            .assistance
            .iter()
            .map(|a| self.concept_iri(a.get_ref()))
            .collect();
        let mut w = self.writer(source);
        for a in assistance {
            w.add(&s, iri::term("assistanceType"), a);
        }
        self.subjects(source, &s, &r.about);
    }

    fn work(&mut self, r: &'p Work) {
        let source = r.source.get_ref().as_str();
        let s = iri::entity(Kind::Work, r.id.get_ref());
        self.mention(source, &s);
        let mut w = self.writer(source);
        if let Some(kind) = r.kind {
            let class = match kind {
                WorkKind::Report => schema("Report"),
                WorkKind::Agenda => iri::term("Agenda"),
                WorkKind::PolicyGuidance => iri::term("PolicyGuidance"),
                WorkKind::Recording => schema("VideoObject"),
                WorkKind::Resolution => iri::term("Resolution"),
                WorkKind::Series => schema("CreativeWorkSeries"),
            };
            w.a(&s, class);
            if matches!(
                kind,
                WorkKind::Agenda | WorkKind::PolicyGuidance | WorkKind::Resolution
            ) {
                w.a(&s, schema("CreativeWork"));
            }
        }
        if let Some(title) = &r.title {
            w.label(&s, title, true);
        }
        if let Some(acronym) = &r.acronym {
            w.acronym(&s, acronym);
        }
        if let Some(d) = &r.description {
            w.text(&s, schema("description"), d);
        }
        if let Some(p) = &r.publisher {
            w.add(
                &s,
                schema("publisher"),
                iri::entity(Kind::Organisation, p.get_ref()),
            );
        }
        w.links(&s, schema("author"), Kind::Organisation, &r.authors);
        if let Some(d) = &r.published {
            w.add(&s, schema("datePublished"), date_literal(d.get_ref()));
        }
        if let Some(e) = &r.edition {
            w.add(&s, schema("version"), Literal::new_simple_literal(e));
        }
        if let Some(p) = &r.part_of {
            w.add(&s, schema("isPartOf"), iri::entity(Kind::Work, p.get_ref()));
        }
        if let Some(e) = &r.launched_at {
            w.add(
                &s,
                schema("releasedEvent"),
                iri::entity(Kind::Event, e.get_ref()),
            );
        }
        if let Some(u) = &r.url {
            w.add(&s, schema("url"), NamedNode::new_unchecked(u.get_ref()));
        }
        w.derived(&s, r.quotes.iter().map(|q| q.get_ref()));
        self.subjects(source, &s, &r.about);
    }

    fn grant(&mut self, r: &'p Grant) {
        let source = r.source.get_ref().as_str();
        let slug = r.id.get_ref().as_str();
        let s = iri::entity(Kind::Grant, slug);
        self.mention(source, &s);
        let funder = r.funder.get_ref().as_str();
        let funded = r.funded.get_ref().as_str();
        let label = format!(
            "Grant of the {} to {}",
            self.context
                .names
                .get(&(Kind::Organisation, funder))
                .copied()
                .unwrap_or(funder),
            self.context
                .names
                .get(&(Kind::Project, funded))
                .copied()
                .unwrap_or(funded),
        );
        let mut w = self.writer(source);
        w.a(&s, schema("MonetaryGrant"));
        w.label(&s, &label, true);
        w.add(
            &s,
            schema("funder"),
            iri::entity(Kind::Organisation, funder),
        );
        w.add(&s, schema("fundedItem"), iri::entity(Kind::Project, funded));
        if let Some(d) = &r.start {
            w.add(&s, schema("startDate"), date_literal(d.get_ref()));
        }
        w.derived(&s, r.quotes.iter().map(|q| q.get_ref()));
        let Some(amount) = r.amount else { return };
        let node = iri::part(Kind::Grant, slug, &format!("amount/{source}"));
        let currency = r.currency.as_ref().map_or("USD", |c| c.get_ref().as_str());
        w.add(&s, schema("amount"), node.clone());
        w.a(&node, schema("MonetaryAmount"));
        w.label(
            &node,
            &format!("{amount} {currency}, as stated by source {source}"),
            false,
        );
        w.add(&node, schema("value"), decimal_literal(amount));
        w.add(
            &node,
            schema("currency"),
            Literal::new_simple_literal(currency),
        );
        w.derived(&node, None::<&str>);
        if let Some(rank) = r.rank {
            let mut w = self.writer(EDITORIAL_SOURCE);
            w.add(
                &node,
                iri::term("rank"),
                iri::term(match rank {
                    Rank::Preferred => "PreferredRank",
                    Rank::Normal => "NormalRank",
                    Rank::Deprecated => "DeprecatedRank",
                }),
            );
            if let Some(reason) = &r.rank_reason {
                w.text(&node, iri::term("rankReason"), reason);
            }
            w.derived(&node, None::<&str>);
        }
    }

    fn observation(&mut self, r: &'p Observation) {
        let source = r.source.get_ref().as_str();
        let s = iri::entity(Kind::Observation, r.id.get_ref());
        self.mention(source, &s);
        let population = self.concept_iri(r.population.get_ref());
        let group = self.concept_iri(r.group.get_ref());
        let dataset = iri::entity(Kind::Statistics, "victim-shares");
        let mut w = self.writer(source);
        w.a(&dataset, qb("DataSet"));
        w.label(
            &dataset,
            "Shares of population groups among identified victims of trafficking",
            false,
        );
        w.add(&dataset, qb("structure"), iri::term("VictimShareStructure"));
        w.derived(&dataset, None::<&str>);
        w.a(&s, qb("Observation"));
        w.label(&s, &r.label, false);
        w.add(&s, qb("dataSet"), dataset);
        w.add(
            &s,
            ns(vocab::SDMX_MEASURE, "obsValue"),
            decimal_literal(r.value),
        );
        w.add(
            &s,
            ns(vocab::SDMX_ATTRIBUTE, "unitMeasure"),
            ns(
                vocab::UNIT,
                match r.unit {
                    Unit::Percent => "PERCENT",
                },
            ),
        );
        w.add(&s, iri::term("population"), population);
        w.add(&s, iri::term("populationGroup"), group);
        if let Some(p) = &r.primary_source {
            w.add(
                &s,
                prov("hadPrimarySource"),
                iri::entity(Kind::Work, p.get_ref()),
            );
        }
        w.derived(&s, r.quotes.iter().map(|q| q.get_ref()));
    }

    fn scheme(&mut self, r: &'p Scheme) {
        let source = r.source.get_ref().as_str();
        let s = iri::scheme(r.id.get_ref());
        let mut w = self.writer(source);
        w.a(&s, skos("ConceptScheme"));
        w.label(&s, &r.title, false);
        w.text(&s, dcterms("title"), &r.title);
        w.text(&s, dcterms("description"), &r.description);
        w.derived(&s, None::<&str>);
    }

    fn concept(&mut self, r: &'p Concept) {
        let source = r.source.get_ref().as_str();
        let s = self.concept_iri(r.id.get_ref());
        self.mention(source, &s);
        let broader: Vec<NamedNode> = r
            .broader
            .iter()
            .map(|b| self.concept_iri(b.get_ref()))
            .collect();
        let related: Vec<NamedNode> = r
            .related
            .iter()
            .map(|b| self.concept_iri(b.get_ref()))
            .collect();
        let at_risk: Vec<NamedNode> = r
            .at_risk_of
            .iter()
            .map(|b| self.concept_iri(b.get_ref()))
            .collect();
        let mut w = self.writer(source);
        if let Some(scheme) = &r.scheme {
            let scheme = iri::scheme(scheme.get_ref());
            w.a(&s, skos("Concept"));
            w.add(&s, skos("inScheme"), scheme.clone());
            if broader.is_empty() {
                w.add(&s, skos("topConceptOf"), scheme.clone());
                w.add(&scheme, skos("hasTopConcept"), s.clone());
            }
        }
        if let Some(label) = &r.label {
            w.label(&s, label, false);
        }
        for alt in &r.alt_labels {
            w.text(&s, skos("altLabel"), alt);
        }
        if let Some(d) = &r.definition {
            w.text(&s, skos("definition"), d);
        }
        for b in broader {
            w.add(&s, skos("broader"), b.clone());
            w.add(&b, skos("narrower"), s.clone());
        }
        for x in related {
            w.add(&s, skos("related"), x.clone());
            w.add(&x, skos("related"), s.clone());
        }
        for x in at_risk {
            w.add(&s, iri::term("atRiskOf"), x);
        }
        w.derived(&s, r.quotes.iter().map(|q| q.get_ref()));
    }

    /// Every country the data names, described from the reference data, with the
    /// verified Wikidata links in Wikidata's graph.
    fn countries(&mut self, data: &[&'p DataFile]) {
        let mut codes: BTreeSet<&str> = BTreeSet::new();
        let mut wikidata: BTreeMap<&str, &str> = BTreeMap::new();
        for d in data {
            for p in &d.project {
                codes.extend(p.countries.iter().map(|c| c.get_ref().as_str()));
            }
            for c in &d.country {
                codes.insert(c.code.get_ref());
                if let Some(q) = &c.wikidata {
                    wikidata.insert(c.code.get_ref(), q.get_ref());
                }
            }
        }
        let mut regions: BTreeMap<reference::Region, Option<reference::Region>> = BTreeMap::new();
        let mut w = self.writer(REFERENCE_SOURCE);
        for code in &codes {
            let Some(info) = reference::country(code) else {
                continue;
            };
            let s = iri::entity(Kind::Country, code);
            w.a(&s, schema("Country"));
            w.label(&s, &info.short_name, true);
            w.text(&s, iri::term("officialName"), &info.official_name);
            w.add(
                &s,
                iri::term("isoAlpha2"),
                Literal::new_simple_literal(&info.alpha2),
            );
            w.add(
                &s,
                iri::term("isoAlpha3"),
                Literal::new_simple_literal(&info.alpha3),
            );
            w.add(
                &s,
                iri::term("isoNumeric"),
                Literal::new_simple_literal(&info.numeric),
            );
            if let Some(region) = &info.region {
                w.add(
                    &s,
                    iri::term("m49Region"),
                    iri::entity(Kind::Region, &region.key),
                );
                regions.entry(region.clone()).or_insert(None);
            }
            if let Some(sub) = &info.sub_region {
                w.add(
                    &s,
                    iri::term("m49SubRegion"),
                    iri::entity(Kind::Region, &sub.key),
                );
                regions.insert(sub.clone(), info.region.clone());
            }
            w.derived(&s, None::<&str>);
        }
        for (region, parent) in &regions {
            let s = iri::entity(Kind::Region, &region.key);
            w.a(&s, iri::term("Region"));
            w.label(&s, &region.name, true);
            if let Some(parent) = parent {
                w.add(
                    &s,
                    schema("containedInPlace"),
                    iri::entity(Kind::Region, &parent.key),
                );
            }
            w.derived(&s, None::<&str>);
        }
        let mut w = self.writer(WIKIDATA_SOURCE);
        for (code, q) in wikidata {
            let s = iri::entity(Kind::Country, code);
            w.add(&s, schema("sameAs"), iri::wikidata(q));
            w.derived(&s, None::<&str>);
        }
    }

    fn source(&mut self, r: &'p Source, text: Option<&str>) {
        let id = r.id.get_ref().as_str();
        let s = iri::entity(Kind::Source, id);
        let mentions = self.context.mentions.remove(id).unwrap_or_default();
        let mut w = self.writer(id);
        let document = matches!(
            r.kind,
            SourceKind::NewsArticle | SourceKind::WebPage | SourceKind::PressRelease
        );
        w.a(&s, prov("Entity"));
        w.a(
            &s,
            match r.kind {
                SourceKind::NewsArticle => schema("NewsArticle"),
                SourceKind::WebPage => schema("WebPage"),
                SourceKind::PressRelease => schema("Article"),
                SourceKind::Registry => dcat("Catalog"),
                SourceKind::ReferenceData => dcat("Dataset"),
                SourceKind::Editorial => schema("CreativeWork"),
            },
        );
        w.label(&s, &r.title, true);
        w.text(&s, dcterms("title"), &r.title);
        if let Some(p) = &r.publisher {
            w.add(
                &s,
                schema("publisher"),
                iri::entity(Kind::Organisation, p.get_ref()),
            );
        }
        if let Some(u) = &r.url {
            w.add(&s, schema("url"), NamedNode::new_unchecked(u.get_ref()));
        }
        if let Some(site) = &r.site {
            w.add(
                &s,
                schema("isPartOf"),
                NamedNode::new_unchecked(site.get_ref()),
            );
        }
        if let Some(d) = &r.published {
            w.add(&s, schema("datePublished"), date_literal(d.get_ref()));
        }
        w.add(
            &s,
            schema("inLanguage"),
            Literal::new_simple_literal(r.language.get_ref()),
        );
        if let Some(text) = text {
            w.text(&s, schema("text"), text);
        }
        w.links(&s, schema("about"), Kind::Event, &r.about);
        if document {
            for m in mentions {
                if r.about
                    .iter()
                    .all(|e| iri::entity(Kind::Event, e.get_ref()) != m)
                {
                    w.add(&s, schema("mentions"), m);
                }
            }
        }
    }
}

/// The ontology, compiled into the binary.
pub const ONTOLOGY_TTL: &str = include_str!("../../ontology/tipkg.ttl");

/// Parses the bundled ontology into quads of the ontology graph.
pub fn ontology_quads() -> Result<Vec<Quad>> {
    let graph = iri::ontology_graph();
    oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
        .with_default_graph(graph)
        .for_slice(ONTOLOGY_TTL.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::Ontology)
}

/// Reads, checks and maps a data directory: the quads of the graph, or every problem found
/// (as [`Error::Data`]).
pub fn build_quads(root: &DataRoot) -> Result<Vec<Quad>> {
    let (parsed, diagnostics) = crate::check::read_checked(root)?;
    if !diagnostics.is_empty() {
        return Err(Error::Data { diagnostics });
    }
    graph_quads(&parsed)
}

/// The quads of checked records, with the ontology's.
pub fn graph_quads(parsed: &load::Parsed) -> Result<Vec<Quad>> {
    let mut quads = ontology_quads()?;
    quads.extend(map(parsed));
    Ok(quads)
}
