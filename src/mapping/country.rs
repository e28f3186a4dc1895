//! The mapping of countries: every country the records name, described from the
//! reference data in its graph, with the verified Wikidata links in Wikidata's graph.

use super::{Map, Mapper, REFERENCE_SOURCE, WIKIDATA_SOURCE};
use crate::base::iri::{self, Kind};
use crate::base::vocab::{schema, tipkg};
use crate::model::load::Located;
use crate::model::reference::{self, Region};
use crate::model::{Country, Record};
use oxigraph::model::Literal;
use std::collections::BTreeMap;

impl Map for Country {
    /// A country record adds nothing of its own here: all countries are mapped at once.
    fn map<'p>(&'p self, _: &mut Mapper<'_, 'p>) {}

    fn map_all<'p>(records: &'p [Located<Self>], mapper: &mut Mapper<'_, 'p>) {
        let mut wikidata: BTreeMap<&str, &str> = BTreeMap::new();
        for c in records {
            mapper.name_country(c.record.id().get_ref());
            if let Some(q) = &c.record.wikidata {
                wikidata.insert(c.record.code.get_ref(), q.get_ref());
            }
        }
        let codes = std::mem::take(&mut mapper.countries);
        // Every region met, with the region it is contained in (none for the widest).
        let mut regions: BTreeMap<&'static Region, Option<&'static Region>> = BTreeMap::new();
        let mut w = mapper.writer(REFERENCE_SOURCE);
        for code in codes {
            let Some(info) = reference::country(code) else {
                continue;
            };
            let s = iri::entity(Kind::Country, code);
            w.a(&s, schema::Country);
            w.label(&s, &info.short_name, true);
            w.text(&s, tipkg::officialName, &info.official_name);
            let codes = [
                (tipkg::isoAlpha2, &info.alpha2),
                (tipkg::isoAlpha3, &info.alpha3),
                (tipkg::isoNumeric, &info.numeric),
            ];
            for (predicate, code) in codes {
                w.add(&s, predicate, Literal::new_simple_literal(code));
            }
            let Some(m49) = reference::regions(&info.alpha3) else {
                w.sourced(&s);
                continue;
            };
            let levels = [
                (tipkg::m49Region, &m49.region),
                (tipkg::m49SubRegion, &m49.sub_region),
                (tipkg::m49IntermediateRegion, &m49.intermediate_region),
            ];
            for (predicate, region) in levels {
                if let Some(region) = region {
                    w.add(&s, predicate, iri::entity(Kind::Region, &region.key));
                }
            }
            let chain = m49.chain();
            for (i, region) in chain.iter().enumerate() {
                regions.insert(region, chain.get(i + 1).copied());
            }
            w.sourced(&s);
        }
        for (region, parent) in &regions {
            let s = iri::entity(Kind::Region, &region.key);
            w.a(&s, tipkg::Region);
            w.label(&s, &region.name, true);
            w.add(
                &s,
                tipkg::m49Code,
                Literal::new_simple_literal(&region.code),
            );
            if let Some(parent) = parent {
                let parent = iri::entity(Kind::Region, &parent.key);
                w.add(&s, schema::containedInPlace, parent);
            }
            w.sourced(&s);
        }
        let mut w = mapper.writer(WIKIDATA_SOURCE);
        for (code, q) in wikidata {
            let s = iri::entity(Kind::Country, code);
            w.add(&s, schema::sameAs, iri::wikidata(q));
            w.sourced(&s);
        }
    }
}
