"""The Folium web-map export: the page, its data encodings and its offline assets."""
