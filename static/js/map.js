/* /acteurs/carte/: the actors of the list, on a map. The data come from the API
   (GeoJSON, same filters as the list, for the visible area); markers cluster; a popup
   gives the name, where the actor is, its presentation and the link to its profile.
   Without JavaScript the page is the list below.

   The map follows the visitor: it opens on the area the list is limited to (data-bbox),
   else on the chosen commune or département (data-lat, data-lon, data-zoom), else on its
   markers. Once the visitor moves it, « Rechercher dans cette zone » reloads the page
   with ?bbox= (and the same filters): the list below then holds that area's actors.
   « Autour de moi » asks the browser for the position only when clicked, and only
   centres the map on it: the position is neither kept nor sent (the API is asked, as
   for any move, for the visible area).

   Embedded on another site (/integrer/carte/): no « Rechercher dans cette zone » nor
   « Autour de moi » (the page has neither button), and a popup's link opens the profile
   outside the frame (data-link-target). */
(function () {
  "use strict";
  var box = document.getElementById("carte");
  if (!box || typeof L === "undefined") { return; }
  box.hidden = false;
  document.querySelectorAll("[data-map-part]").forEach(function (part) { part.hidden = false; });
  var note = document.getElementById("carte-etat");
  var searchHere = document.getElementById("carte-zone");
  var nearMe = document.getElementById("carte-autour");
  var icon = L.icon({
    iconUrl: box.dataset.markerIcon, iconRetinaUrl: box.dataset.markerIcon2x, shadowUrl: box.dataset.markerShadow,
    iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
  });
  var REGION = [49.0, -0.6], REGION_ZOOM = 8, NEAR_ZOOM = 12, FIT_MAX_ZOOM = 13;
  var map = L.map(box, {scrollWheelZoom: false, zoomControl: false});
  L.control.zoom({zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer"}).addTo(map);
  L.tileLayer(box.dataset.tileUrl, {
    maxZoom: 19,
    attribution: "© <a href=\"https://www.openstreetmap.org/copyright\">les contributeurs d'OpenStreetMap</a>"
  }).addTo(map);
  var cluster = L.markerClusterGroup();
  map.addLayer(cluster);
  var groups = L.layerGroup().addTo(map);  // past 2 000 actors, the server's groups
  var pending = null;
  var placedByPage = 0;  // moves the page makes itself, not the visitor: no « Rechercher » for them

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function popup(p) {  // DOM nodes and textContent only: the data never become markup
    var content = element("div", "map-popup");
    var title = element("p", "map-popup-title");
    var link = element("a", "", p.nom);  // the profile
    link.href = p.url;
    if (box.dataset.linkTarget) { link.target = box.dataset.linkTarget; }
    title.appendChild(link);
    content.appendChild(title);
    if (p.lieu) { content.appendChild(element("p", "map-popup-place", p.lieu)); }
    if (p.presentation) { content.appendChild(element("p", "map-popup-summary", p.presentation)); }
    return content;
  }

  function area() {  // west,south,east,north of the visible map, within the world's bounds
    var b = map.getBounds();
    var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)).toFixed(5); };
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(",");
  }

  function plural(n, word) { return n + " " + word + (n > 1 ? "s" : ""); }

  var markers = {};  // slug: marker, kept from one load to the next (an open popup stays open)

  function show(data) {
    groups.clearLayers();
    var wanted = {}, added = [];
    data.features.forEach(function (feature) {
      var c = feature.geometry.coordinates, p = feature.properties;
      if (p.nombre) {  // a group of the server's grid: a click zooms in on it
        var size = p.nombre < 100 ? "small" : (p.nombre < 1000 ? "medium" : "large");
        var count = element("div");
        count.appendChild(element("span", "", String(p.nombre)));
        var group = L.marker([c[1], c[0]], {
          title: p.nombre + " acteurs", alt: p.nombre + " acteurs", keyboard: true,
          icon: L.divIcon({html: count, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40)})
        });
        group.on("click", function () { map.setView([c[1], c[0]], Math.min(map.getZoom() + 2, 18)); });
        groups.addLayer(group);
        return;
      }
      wanted[p.slug] = true;
      if (markers[p.slug]) { return; }
      var marker = L.marker([c[1], c[0]], {icon: icon, title: p.nom, alt: p.nom});
      marker.bindPopup(function () { return popup(p); });
      markers[p.slug] = marker;
      added.push(marker);
    });
    var gone = Object.keys(markers).filter(function (slug) { return !wanted[slug]; });
    cluster.removeLayers(gone.map(function (slug) { return markers[slug]; }));
    gone.forEach(function (slug) { delete markers[slug]; });
    cluster.addLayers(added);
    note.textContent = plural(data.count, "acteur") + " placé" + (data.count > 1 ? "s à leur adresse" : " à son adresse") + " dans cette zone" +
      (data.groupes ? " (regroupés : cliquez sur un groupe ou zoomez pour les voir un à un)" : "") +
      " ; la liste compte aussi ceux qui y interviennent depuis ailleurs.";
  }

  function load(fit) {  // fit: the first view without a place, the whole filtered map, then fitted
    var url = box.dataset.geojson + "&zoom=" + map.getZoom() + (fit ? "" : "&bbox=" + area());
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, {signal: pending.signal, headers: {"Accept": "application/geo+json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (fit && data.features.length && (!searchHere || searchHere.hidden)) {  // unless the visitor has moved it meanwhile
          var bounds = L.latLngBounds(data.features.map(function (f) {
            return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
          }));
          placedByPage += 1;
          map.fitBounds(bounds, {padding: [30, 30], maxZoom: FIT_MAX_ZOOM});  // its moveend loads the area
          return;
        }
        show(data);
      })
      .catch(function (error) { if (error.name !== "AbortError") { note.textContent = "La carte n'a pas pu être chargée ; la liste ci-dessous reste complète."; } });
  }

  // Where the map opens (the page's own moves, before the visitor's).
  var d = box.dataset, firstFit = false;
  if (d.bbox) {
    var b = d.bbox.split(",").map(Number);
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
  } else if (d.lat && d.lon) {
    map.setView([Number(d.lat), Number(d.lon)], Number(d.zoom) || NEAR_ZOOM);
  } else {
    map.setView(REGION, REGION_ZOOM);
    firstFit = true;
  }

  var timer = null;
  map.on("moveend", function () {
    if (placedByPage > 0) { placedByPage -= 1; } else if (searchHere) { searchHere.hidden = false; }
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  });
  load(firstFit);

  // « Rechercher dans cette zone »: the same page, its filters, the visible area.
  if (searchHere) { searchHere.addEventListener("click", function () {
    var params = new URLSearchParams(window.location.search);
    params.delete("page");
    params.set("bbox", area());
    window.location.assign(window.location.pathname + "?" + params.toString());
  }); }

  // « Autour de moi »: only where the browser can and may locate.
  var policy = document.permissionsPolicy || document.featurePolicy;
  var canLocate = "geolocation" in navigator && !(policy && policy.allowsFeature && !policy.allowsFeature("geolocation"));
  if (!canLocate || !nearMe) { return; }
  document.getElementById("carte-autour-bloc").hidden = false;
  var here = null;
  nearMe.addEventListener("click", function () {
    note.textContent = "Recherche de votre position…";
    navigator.geolocation.getCurrentPosition(function (position) {
      var at = [position.coords.latitude, position.coords.longitude];
      if (here) { map.removeLayer(here); }
      here = L.circleMarker(at, {radius: 8, weight: 3, color: "#073d29", fillColor: "#ffbf47", fillOpacity: 1,
                                 interactive: false}).addTo(map);
      note.textContent = "Carte centrée sur votre position.";
      map.setView(at, NEAR_ZOOM);  // the visitor's move: « Rechercher dans cette zone » follows
    }, function () {
      note.textContent = "Votre position n'a pas pu être obtenue (refusée ou indisponible) : déplacez la carte ou choisissez votre commune.";
    }, {enableHighAccuracy: false, timeout: 15000, maximumAge: 60000});
  });
}());
