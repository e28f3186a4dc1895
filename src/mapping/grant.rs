//! The mapping of grants: the grant in its source's graph, the amount that source states,
//! and the editors' rank of that amount in the editorial graph.

use super::writer::decimal_literal;
use super::{EDITORIAL_SOURCE, Map, Mapper, entity};
use crate::base::iri::Kind;
use crate::base::vocab::{schema, tipkg};
use crate::model::{Grant, Organisation, Project, Rank};
use oxigraph::model::{Literal, NamedNode};

impl Map for Grant {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let source = self.source.get_ref().as_str();
        let s = entity(Kind::Grant, &self.id);
        mapper.mention(source, &s);
        let label = format!(
            "Grant of the {} to {}",
            mapper.name_of::<Organisation>(self.funder.get_ref()),
            mapper.name_of::<Project>(self.funded.get_ref()),
        );
        let mut w = mapper.writer(source);
        w.a(&s, schema::MonetaryGrant);
        w.label(&s, &label, true);
        w.add(&s, schema::funder, entity(Kind::Organisation, &self.funder));
        w.add(&s, schema::fundedItem, entity(Kind::Project, &self.funded));
        w.dates(&s, schema::startDate, &self.start);
        w.derived(&s, &self.quotes);
        if let Some(amount) = self.amount {
            self.amount(&s, amount, mapper);
        }
    }
}

impl Grant {
    /// The amount as this record's source states it, and its rank.
    fn amount(&self, s: &NamedNode, amount: f64, mapper: &mut Mapper<'_, '_>) {
        let source = self.source.get_ref().as_str();
        let node = self.amount_iri();
        let currency = self
            .currency
            .as_ref()
            .map_or("USD", |c| c.get_ref().as_str());
        let mut w = mapper.writer(source);
        w.add(s, schema::amount, node.clone());
        w.a(&node, schema::MonetaryAmount);
        let label = format!("{amount} {currency}, as stated by source {source}");
        w.label(&node, &label, false);
        w.add(&node, schema::value, decimal_literal(amount));
        w.add(
            &node,
            schema::currency,
            Literal::new_simple_literal(currency),
        );
        w.sourced(&node);
        let Some(rank) = self.rank else { return };
        let mut w = mapper.writer(EDITORIAL_SOURCE);
        let rank = match rank {
            Rank::Preferred => tipkg::PreferredRank,
            Rank::Normal => tipkg::NormalRank,
            Rank::Deprecated => tipkg::DeprecatedRank,
        };
        w.add(&node, tipkg::rank, rank);
        w.texts(&node, tipkg::rankReason, &self.rank_reason);
        w.sourced(&node);
    }
}
