vcl 4.1;

backend api { .host = "10.0.0.1"; .port = "80"; }
backend stat { .host = "10.0.0.2"; .port = "80"; }
backend other { .host = "10.0.0.3"; .port = "80"; }

sub vcl_recv {
	if (req.url ~ "^/api/") {
		set req.backend_hint = api;
	} elsif (req.http.host == "static.example") {
		set req.backend_hint = stat;
	} else {
		set req.backend_hint = other;
	}
}
