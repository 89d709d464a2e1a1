// The DNS table (Dns) and getaddrinfo's handling of hints, services, numeric hosts and
// errors, called the way vmod C code calls them (vdisim_os.h's functions).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netdb.h>

#include <string>
#include <vector>

#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/fake_vrt/vmod_os.hpp"
#include "vdisim_os.h"

namespace {

namespace vv = vdisim::vrt;
using Kind = vv::DnsStep::Kind;

vv::DnsStep at(std::int64_t s, Kind k, std::vector<std::string> a = {}, std::int64_t ttl_s = 0,
               std::int64_t latency_ms = 0) {
  return {s * 1'000'000'000, k, std::move(a), ttl_s * 1'000'000'000, latency_ms * 1'000'000};
}

TEST(DnsAddr, parses_v4_v6_with_and_without_ports) {
  EXPECT_EQ(vv::DnsAddr::parse("10.0.0.1")->text(), "10.0.0.1");
  EXPECT_EQ(vv::DnsAddr::parse("10.0.0.1:8080")->text(), "10.0.0.1:8080");
  EXPECT_EQ(vv::DnsAddr::parse("2001:DB8::1")->text(), "2001:db8::1");
  EXPECT_EQ(vv::DnsAddr::parse("[2001:db8::1]:80")->text(), "[2001:db8::1]:80");
  EXPECT_EQ(vv::DnsAddr::parse("[::1]")->port, 0);
  for (const char *bad : {"", "10.0.0", "10.0.0.300", "10.0.0.1:0", "10.0.0.1:65536", "[::1", "[::1]80",
                          "host.example", "10.0.0.1:http"})
    EXPECT_FALSE(vv::DnsAddr::parse(bad)) << bad;
}

TEST(DnsTable, steps_apply_from_their_time_on_and_names_ignore_case) {
  vv::Dns d;
  d.set("Api.Example.", {at(10, Kind::Addresses, {"10.0.0.1"}), at(20, Kind::NxDomain)});
  EXPECT_TRUE(d.knows("api.example"));
  EXPECT_EQ(d.lookup("api.example", 0).kind, Kind::NxDomain);  // before the first step
  EXPECT_EQ(d.lookup("API.EXAMPLE", 10'000'000'000).addrs.size(), 1u);
  EXPECT_EQ(d.lookup("api.example.", 25'000'000'000).kind, Kind::NxDomain);
  vv::Dns::Answer unknown = d.lookup("other.example", 0);
  EXPECT_FALSE(unknown.known);
  EXPECT_EQ(unknown.kind, Kind::NxDomain);
}

TEST(DnsTable, ttl_caches_from_the_answer_s_arrival_and_errors_are_not_cached) {
  vv::Dns d;
  d.set("a", {at(0, Kind::Addresses, {"10.0.0.1"}, 10, 500), at(1, Kind::Addresses, {"10.0.0.2"})});
  EXPECT_EQ(d.lookup("a", 0).wait_ns, 500'000'000);
  vv::Dns::Answer hit = d.lookup("a", 5'000'000'000);
  EXPECT_TRUE(hit.cached);
  EXPECT_EQ(hit.wait_ns, 0);
  EXPECT_EQ(hit.addrs.front().text(), "10.0.0.1");
  EXPECT_EQ(d.lookup("a", 10'500'000'000).addrs.front().text(), "10.0.0.2");  // expired
  d.set("b", {at(0, Kind::ServFail, {}, 10)});
  d.lookup("b", 0);
  EXPECT_FALSE(d.lookup("b", 1).cached);
  EXPECT_EQ(d.lookup("b", 1).wait_ns, 0);
  d.set("c", {at(0, Kind::Timeout)});
  EXPECT_EQ(d.lookup("c", 0).wait_ns, vv::Dns::kDefaultTimeoutNs);
}

TEST(DnsTable, rejects_bad_addresses_and_steps_out_of_order) {
  vv::Dns d;
  EXPECT_THROW(d.set("a", {at(0, Kind::Addresses, {"nope"})}), std::invalid_argument);
  EXPECT_THROW(d.set("a", {at(5, Kind::NxDomain), at(5, Kind::NxDomain)}), std::invalid_argument);
}

// Runs `body` inside an actor of a run whose table has a few names.
void in_run(const std::function<void()> &body) {
  vv::harness::World w;
  vv::VmodOs os(w.sim);
  os.dns().set("dual.example", {at(0, Kind::Addresses, {"10.0.0.1", "2001:db8::1"})});
  os.dns().set("v4.example", {at(0, Kind::Addresses, {"10.0.0.2:8080"})});
  w.sim.spawn("cli", body);
  vdisim::sim::RunReport r = w.run();
  EXPECT_TRUE(r.ok()) << (r.failure ? r.failure->message : "");
}

struct Entry {
  int family, socktype, port;
  std::string host;
};

std::vector<Entry> entries(const struct addrinfo *res) {
  std::vector<Entry> out;
  for (; res; res = res->ai_next) {
    char buf[INET6_ADDRSTRLEN];
    int port;
    if (res->ai_family == AF_INET) {
      auto *sin = reinterpret_cast<const struct sockaddr_in *>(res->ai_addr);
      inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf);
      port = ntohs(sin->sin_port);
      EXPECT_EQ(res->ai_addrlen, sizeof(struct sockaddr_in));
    } else {
      auto *sin6 = reinterpret_cast<const struct sockaddr_in6 *>(res->ai_addr);
      inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof buf);
      port = ntohs(sin6->sin6_port);
      EXPECT_EQ(res->ai_addrlen, sizeof(struct sockaddr_in6));
    }
    out.push_back({res->ai_family, res->ai_socktype, port, buf});
  }
  return out;
}

int gai(const char *node, const char *service, int family, int socktype, int flags, std::vector<Entry> *out) {
  struct addrinfo hints {};
  hints.ai_family = family;
  hints.ai_socktype = socktype;
  hints.ai_flags = flags;
  struct addrinfo *res = nullptr;
  int e = vdisim_getaddrinfo(node, service, &hints, &res);
  if (e == 0) {
    *out = entries(res);
    vdisim_freeaddrinfo(res);
  }
  return e;
}

TEST(Getaddrinfo, hints_filter_family_and_socket_type_services_set_the_port) {
  in_run([] {
    std::vector<Entry> e;
    ASSERT_EQ(gai("dual.example", "http", AF_UNSPEC, SOCK_STREAM, 0, &e), 0);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].host, "10.0.0.1");
    EXPECT_EQ(e[0].port, 80);
    EXPECT_EQ(e[1].host, "2001:db8::1");
    ASSERT_EQ(gai("dual.example", "https", AF_INET6, SOCK_STREAM, 0, &e), 0);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].port, 443);
    ASSERT_EQ(gai("dual.example", "8080", AF_INET, 0, 0, &e), 0);
    ASSERT_EQ(e.size(), 2u);  // stream and datagram: no raw when a service is named
    EXPECT_EQ(e[0].socktype, SOCK_STREAM);
    EXPECT_EQ(e[1].socktype, SOCK_DGRAM);
    ASSERT_EQ(gai("v4.example", nullptr, AF_INET, SOCK_STREAM, 0, &e), 0);
    EXPECT_EQ(e[0].port, 8080);  // the answer's port when no service is asked for
    ASSERT_EQ(gai("v4.example", "81", AF_INET, SOCK_STREAM, 0, &e), 0);
    EXPECT_EQ(e[0].port, 81);
    EXPECT_EQ(gai("v4.example", nullptr, AF_INET6, SOCK_STREAM, 0, &e), EAI_NODATA);
    ASSERT_EQ(gai("v4.example", nullptr, AF_INET6, SOCK_STREAM, AI_V4MAPPED, &e), 0);
    EXPECT_EQ(e[0].host, "::ffff:10.0.0.2");
    EXPECT_EQ(gai("dual.example", "gopher", AF_UNSPEC, SOCK_STREAM, 0, &e), EAI_SERVICE);
    EXPECT_EQ(gai("dual.example", "http", AF_UNSPEC, SOCK_STREAM, AI_NUMERICSERV, &e), EAI_NONAME);
    EXPECT_EQ(gai("dual.example", "80", AF_UNIX, SOCK_STREAM, 0, &e), EAI_FAMILY);
    EXPECT_EQ(gai(nullptr, nullptr, AF_UNSPEC, 0, 0, &e), EAI_NONAME);
  });
}

TEST(Getaddrinfo, numeric_hosts_resolve_without_the_table) {
  in_run([] {
    std::int64_t t0 = vdisim::sim::this_sim().now_ns();
    std::vector<Entry> e;
    ASSERT_EQ(gai("192.0.2.7", "80", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST, &e), 0);
    EXPECT_EQ(e.at(0).host, "192.0.2.7");
    ASSERT_EQ(gai("::1", "80", AF_UNSPEC, SOCK_STREAM, 0, &e), 0);
    EXPECT_EQ(e.at(0).family, AF_INET6);
    EXPECT_EQ(gai("dual.example", "80", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST, &e), EAI_NONAME);
    EXPECT_EQ(gai("192.0.2.7", "80", AF_INET6, SOCK_STREAM, 0, &e), EAI_ADDRFAMILY);
    ASSERT_EQ(gai(nullptr, "80", AF_INET, SOCK_STREAM, AI_PASSIVE, &e), 0);
    EXPECT_EQ(e.at(0).host, "0.0.0.0");
    ASSERT_EQ(gai(nullptr, "80", AF_INET, SOCK_STREAM, 0, &e), 0);
    EXPECT_EQ(e.at(0).host, "127.0.0.1");
    EXPECT_EQ(vdisim::sim::this_sim().now_ns(), t0);
  });
}

TEST(Getaddrinfo, canonname_on_the_first_entry_and_freeaddrinfo_twice_is_caught) {
  vv::harness::World w;
  vv::VmodOs os(w.sim);
  os.dns().set("dual.example", {at(0, Kind::Addresses, {"10.0.0.1", "10.0.0.3"})});
  w.sim.spawn("cli", [] {
    struct addrinfo hints {};
    hints.ai_flags = AI_CANONNAME;
    hints.ai_socktype = SOCK_STREAM;
    struct addrinfo *res = nullptr;
    ASSERT_EQ(vdisim_getaddrinfo("dual.example", "80", &hints, &res), 0);
    ASSERT_NE(res->ai_canonname, nullptr);
    EXPECT_STREQ(res->ai_canonname, "dual.example");
    EXPECT_EQ(res->ai_next->ai_canonname, nullptr);
    vdisim_freeaddrinfo(res);
    vdisim_freeaddrinfo(res);
  });
  vdisim::sim::RunReport r = w.run();
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->rule, "API");
  EXPECT_NE(r.failure->message.find("freeaddrinfo"), std::string::npos);
}

TEST(Getnameinfo, numeric_and_reverse_from_the_table) {
  in_run([] {
    struct sockaddr_in sin {};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(80);
    inet_pton(AF_INET, "10.0.0.1", &sin.sin_addr);
    char host[64], serv[16];
    auto *sa = reinterpret_cast<const struct sockaddr *>(&sin);
    ASSERT_EQ(vdisim_getnameinfo(sa, sizeof sin, host, sizeof host, serv, sizeof serv, 0), 0);
    EXPECT_STREQ(host, "dual.example");
    EXPECT_STREQ(serv, "http");
    ASSERT_EQ(vdisim_getnameinfo(sa, sizeof sin, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV), 0);
    EXPECT_STREQ(host, "10.0.0.1");
    EXPECT_STREQ(serv, "80");
    inet_pton(AF_INET, "10.9.9.9", &sin.sin_addr);
    EXPECT_EQ(vdisim_getnameinfo(sa, sizeof sin, host, sizeof host, nullptr, 0, NI_NAMEREQD), EAI_NONAME);
    EXPECT_EQ(vdisim_getnameinfo(sa, sizeof sin, host, 4, nullptr, 0, 0), EAI_OVERFLOW);
    EXPECT_STRNE(vdisim_gai_strerror(EAI_NONAME), vdisim_gai_strerror(EAI_AGAIN));
  });
}

}  // namespace
