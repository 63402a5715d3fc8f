/* /acteurs/carte/: the actors of the list, on a map. The data come from the API
   (GeoJSON, same filters as the list, for the visible area); markers cluster; a popup
   links to the profile. Without JavaScript the page is the list below. */
(function () {
  "use strict";
  var box = document.getElementById("carte");
  if (!box || typeof L === "undefined") { return; }
  box.hidden = false;
  var note = document.getElementById("carte-etat");
  var icon = L.icon({
    iconUrl: box.dataset.markerIcon, iconRetinaUrl: box.dataset.markerIcon2x, shadowUrl: box.dataset.markerShadow,
    iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
  });
  var map = L.map(box, {scrollWheelZoom: false}).setView([49.0, -0.6], 8);
  L.tileLayer(box.dataset.tileUrl, {
    maxZoom: 19,
    attribution: "© <a href=\"https://www.openstreetmap.org/copyright\">les contributeurs d'OpenStreetMap</a>"
  }).addTo(map);
  var cluster = L.markerClusterGroup();
  map.addLayer(cluster);
  var groups = L.layerGroup().addTo(map);  // past 2 000 actors, the server's groups
  var pending = null;

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function load() {
    var b = map.getBounds();
    var url = box.dataset.geojson + "&zoom=" + map.getZoom() + "&bbox=" +
      [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, {signal: pending.signal, headers: {"Accept": "application/geo+json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        cluster.clearLayers();
        groups.clearLayers();
        data.features.forEach(function (feature) {
          var c = feature.geometry.coordinates, p = feature.properties;
          if (p.nombre) {  // a group of the server's grid: a click zooms in on it
            var size = p.nombre < 100 ? "small" : (p.nombre < 1000 ? "medium" : "large");
            var group = L.marker([c[1], c[0]], {
              title: p.nombre + " acteurs", alt: p.nombre + " acteurs", keyboard: true,
              icon: L.divIcon({html: "<div><span>" + p.nombre + "</span></div>",
                               className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40)})
            });
            group.on("click", function () { map.setView([c[1], c[0]], Math.min(map.getZoom() + 2, 18)); });
            groups.addLayer(group);
            return;
          }
          var marker = L.marker([c[1], c[0]], {icon: icon, title: p.nom, alt: p.nom});
          marker.bindPopup("<a href=\"" + encodeURI(p.url) + "\">" + text(p.nom) + "</a>" +
                           (p.commune ? "<br>" + text(p.commune) : ""));
          cluster.addLayer(marker);
        });
        note.textContent = data.total + " acteur" + (data.total > 1 ? "s" : "") +
          " placé" + (data.total > 1 ? "s" : "") + " dans cette zone" +
          (data.groupes ? " (regroupés : cliquez sur un groupe ou zoomez pour les voir un à un)" : "") + ".";
      })
      .catch(function (error) { if (error.name !== "AbortError") { note.textContent = "La carte n'a pas pu être chargée ; la liste ci-dessous reste complète."; } });
  }
  var timer = null;
  map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
  load();
}());
