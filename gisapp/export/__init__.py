"""Exports of a project: interactive web maps (folium) and static images."""
