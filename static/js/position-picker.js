/* Admin: a small map under the latitude/longitude fields of an organisation. A click
   places the organisation; the fields stay the source of truth (and work without it). */
(function () {
  "use strict";
  function start() {
    var lat = document.getElementById("id_latitude");
    var lng = document.getElementById("id_longitude");
    if (!lat || !lng || typeof L === "undefined") { return; }
    var row = lat.closest(".form-row") || lat.parentNode;
    var box = document.createElement("div");
    box.className = "position-picker";
    box.setAttribute("role", "application");
    box.setAttribute("aria-label", "Carte : cliquez pour placer l'organisation (ou saisissez latitude et longitude)");
    row.parentNode.insertBefore(box, row.nextSibling);
    var tiles = document.body.getAttribute("data-tile-url") || "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    var hasPoint = lat.value && lng.value;
    var map = L.map(box).setView(hasPoint ? [parseFloat(lat.value), parseFloat(lng.value)] : [49.0, -0.6], hasPoint ? 14 : 8);
    L.tileLayer(tiles, {maxZoom: 19, attribution: "© les contributeurs d'OpenStreetMap"}).addTo(map);
    var marker = hasPoint ? L.circleMarker([parseFloat(lat.value), parseFloat(lng.value)]).addTo(map) : null;
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lng.value = event.latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(event.latlng); } else { marker = L.circleMarker(event.latlng).addTo(map); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
