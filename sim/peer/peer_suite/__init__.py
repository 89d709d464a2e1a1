"""The peer suite behind scripts/peer: cases, recording on varnishd, replaying in vdisim."""
