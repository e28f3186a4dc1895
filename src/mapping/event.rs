//! The mapping of events, and of the part each organisation played in one.

use super::writer::RECORDED_IN;
use super::{Map, Mapper, entity};
use crate::base::iri::Kind;
use crate::base::vocab::{dcterms, schema, tipkg};
use crate::model::{Attendance, Concept, Event, EventKind, Organisation, Participant, Project};
use oxigraph::model::NamedNode;

impl Map for Event {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let source = self.source.get_ref().as_str();
        let s = entity(Kind::Event, &self.id);
        mapper.mention(source, &s);
        let mut w = mapper.writer(source);
        if let Some(kind) = self.kind {
            let class = match kind {
                EventKind::Launch => schema::PublicationEvent,
                EventKind::Discussion | EventKind::Congress => schema::Event,
            };
            w.a(&s, class);
        }
        if let Some(name) = &self.name {
            w.label(&s, name, true);
        }
        w.texts(&s, schema::description, &self.description);
        w.dates(&s, schema::startDate, &self.start);
        if let Some(mode) = self.attendance {
            let mode = match mode {
                Attendance::Online => schema::OnlineEventAttendanceMode,
                Attendance::Offline => schema::OfflineEventAttendanceMode,
                Attendance::Mixed => schema::MixedEventAttendanceMode,
            };
            w.add(&s, schema::eventAttendanceMode, mode);
        }
        w.texts(&s, schema::location, &self.location);
        w.links(&s, schema::organizer, Kind::Organisation, &self.organiser);
        let collaborators = &self.collaborators;
        w.links(&s, tipkg::collaborator, Kind::Organisation, collaborators);
        w.links(&s, tipkg::basedOn, Kind::Work, &self.based_on);
        w.links(
            &s,
            tipkg::motivatedBy,
            Kind::Observation,
            &self.motivated_by,
        );
        if let Some(recording) = &self.recording {
            w.both_ways(&s, RECORDED_IN, &entity(Kind::Work, recording));
        }
        w.derived(&s, &self.quotes);
        for p in &self.participant {
            self.participation(p, &s, mapper);
        }
        mapper.subjects(source, &s, &self.about);
    }
}

impl Event {
    /// The part one organisation played in the event: a node of its own, labelled with
    /// the names of the organisation, the role and the event.
    fn participation(&self, p: &Participant, s: &NamedNode, mapper: &mut Mapper<'_, '_>) {
        let event = self.id.get_ref().as_str();
        let node = p.iri(event);
        let label = format!(
            "{} as {} of {}",
            mapper.name_of::<Organisation>(p.organisation.get_ref()),
            mapper.name_of::<Concept>(p.role.get_ref()),
            mapper.name_of::<Self>(event)
        );
        // What was presented is a project or a work: a project if a record names one.
        let presented: Vec<NamedNode> = p
            .presented
            .iter()
            .map(|x| match mapper.is_named::<Project>(x.get_ref()) {
                true => entity(Kind::Project, x),
                false => entity(Kind::Work, x),
            })
            .collect();
        let role = mapper.concept(p.role.get_ref());
        let topics = mapper.concepts(&p.about);
        let participant = entity(Kind::Organisation, &p.organisation);
        let mut w = mapper.writer(self.source.get_ref());
        w.add(s, tipkg::participation, node.clone());
        w.add(s, schema::performer, participant.clone());
        w.a(&node, tipkg::Participation);
        w.label(&node, &label, false);
        w.add(&node, tipkg::participant, participant);
        w.add(&node, tipkg::role, role);
        for presented in presented {
            w.add(&node, tipkg::presented, presented);
        }
        for topic in topics {
            w.add(&node, dcterms::subject, topic);
        }
        w.derived(&node, &p.quote);
    }
}
