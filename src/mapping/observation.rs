//! The mapping of observations, as observations of the data set of victim shares.

use super::writer::decimal_literal;
use super::{Map, Mapper, entity};
use crate::base::iri::{self, Kind};
use crate::base::vocab::{prov, qb, sdmx_attribute, sdmx_dimension, sdmx_measure, tipkg, unit};
use crate::model::{Observation, Unit};
use oxigraph::model::Literal;
use oxigraph::model::vocab::xsd;

impl Map for Observation {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let source = self.source.get_ref().as_str();
        let s = entity(Kind::Observation, &self.id);
        mapper.mention(source, &s);
        let population = mapper.concept(self.population.get_ref());
        let group = mapper.concept(self.group.get_ref());
        let dataset = iri::entity(Kind::Statistics, "victim-shares");
        let mut w = mapper.writer(source);
        w.a(&dataset, qb::DataSet);
        w.label(
            &dataset,
            "Shares of population groups among identified victims of trafficking",
            false,
        );
        w.add(&dataset, qb::structure, tipkg::VictimShareStructure);
        w.sourced(&dataset);
        w.a(&s, qb::Observation);
        w.label(&s, &self.label, false);
        w.add(&s, qb::dataSet, dataset);
        w.add(&s, sdmx_measure::obsValue, decimal_literal(self.value));
        let unit = match self.unit {
            Unit::Percent => unit::PERCENT,
        };
        w.add(&s, sdmx_attribute::unitMeasure, unit);
        w.add(&s, tipkg::population, population);
        w.add(&s, tipkg::populationGroup, group);
        w.dates(&s, sdmx_dimension::refPeriod, &self.period);
        if let Some(count) = &self.countries_covered {
            let count = Literal::new_typed_literal(count.get_ref().to_string(), xsd::INTEGER);
            w.add(&s, tipkg::countriesCovered, count);
        }
        w.links(&s, prov::hadPrimarySource, Kind::Work, &self.primary_source);
        w.derived(&s, &self.quotes);
    }
}
