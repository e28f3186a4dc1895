// Starts the SPARQL editor (YASGUI) on this server's endpoint. The editor's completions of
// properties and classes ask a remote service (Linked Open Vocabularies), so only the
// completions that work offline, prefixes and variables, are kept.
(function () {
  "use strict";
  var element = document.getElementById("yasgui");
  var endpoint = new URL(element.getAttribute("data-endpoint"), window.location.href).href;
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.value = element.getAttribute("data-query");
  new Yasgui(element, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: "tipkg-" + endpoint,
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
      keys: [],
    },
  });
})();
