package fetch

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
)

// ErrPrivateAddress is matched (errors.Is) by refusals of a non-public address.
var ErrPrivateAddress = errors.New("refusing private address")

type privateAddrError struct{ addr netip.Addr }

func (e *privateAddrError) Error() string {
	return fmt.Sprintf("refusing private address %s (use --allow-private)", e.addr)
}

func (e *privateAddrError) Is(target error) bool { return target == ErrPrivateAddress }

// Ranges that netip's predicates do not cover.
var extraBlocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking, often internal
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, includes broadcast
	netip.MustParsePrefix("fec0::/10"),      // deprecated site-local
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("100::/64"),       // discard-only
}

// IPv6 prefixes that embed the IPv4 address really reached.
var (
	nat64  = netip.MustParsePrefix("64:ff9b::/96")
	sixTo4 = netip.MustParsePrefix("2002::/16")
)

// isPrivate reports whether a connection to ip could reach something other
// than the public internet: loopback, RFC 1918, link-local, CGNAT, unique-local,
// unspecified, multicast and a few reserved ranges.
func isPrivate(ip netip.Addr) bool {
	ip = ip.WithZone("").Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() {
		return true
	}
	if ip.Is6() {
		b := ip.As16()
		if nat64.Contains(ip) {
			return isPrivate(netip.AddrFrom4([4]byte(b[12:16])))
		}
		if sixTo4.Contains(ip) {
			return isPrivate(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	for _, p := range extraBlocked {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// control runs on every socket before connect, with the address DNS actually
// returned, so a name that resolves (or re-resolves) to a private address is
// refused however it was reached.
func (c *Client) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refusing unparsable address %q", address)
	}
	if c.blockAddr(ap) {
		return &privateAddrError{ap.Addr().WithZone("").Unmap()}
	}
	return nil
}

// checkURL refuses what must never be fetched whatever the network says:
// schemes other than http(s), credentials in the URL, a missing host, and
// (unless allowed) a literal private IP, so we fail before dialing.
func (c *Client) checkURL(u *url.URL) error {
	switch u.Scheme {
	case "http", "https":
	default:
		if u.Scheme == "" {
			return errors.New("missing scheme (want http or https)")
		}
		return fmt.Errorf("unsupported scheme %q (want http or https)", u.Scheme)
	}
	if u.User != nil {
		return errors.New("refusing URL with credentials")
	}
	host := u.Hostname()
	if host == "" {
		return errors.New("missing host")
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		port, _ := strconv.ParseUint(u.Port(), 10, 16)
		if port == 0 && u.Scheme == "https" {
			port = 443
		} else if port == 0 {
			port = 80
		}
		if c.blockAddr(netip.AddrPortFrom(ip, uint16(port))) {
			return &privateAddrError{ip.WithZone("").Unmap()}
		}
	}
	if strings.ContainsAny(host, " \t\r\n") {
		return errors.New("invalid host")
	}
	return nil
}
