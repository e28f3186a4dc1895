// Independent check: jsonld.js reads a JSON-LD document in safe mode (any term missing
// from the context, any relative IRI, anything dropped is an error), expands it and
// converts it to N-Quads on stdout. The published context address is served from the
// local copy given as the second argument, since nothing may be fetched.
// Usage: node jsonld_to_nquads.js DOCUMENT.jsonld CONTEXT.jsonld
'use strict';
const fs = require('fs');
const jsonld = require('jsonld');

const [documentPath, contextPath] = process.argv.slice(2);
const CONTEXT_URL = 'https://w3id.org/tipkg/context.jsonld';

async function documentLoader(url) {
  if (url === CONTEXT_URL) {
    return {
      contextUrl: null,
      documentUrl: url,
      document: JSON.parse(fs.readFileSync(contextPath, 'utf8')),
    };
  }
  throw new Error(`no network: refusing to load ${url}`);
}

async function main() {
  const document = JSON.parse(fs.readFileSync(documentPath, 'utf8'));
  const options = {safe: true, documentLoader};
  const expanded = await jsonld.expand(document, options);
  const nquads = await jsonld.toRDF(expanded, {...options, format: 'application/n-quads'});
  process.stdout.write(nquads);
}

main().catch(error => {
  console.error(`jsonld.js: ${error.message}`);
  if (error.details && error.details.event) {
    console.error(JSON.stringify(error.details.event, null, 2).slice(0, 2000));
  }
  process.exit(1);
});
