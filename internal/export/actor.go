package export

import "strings"

// ActorCodes is a CAMEO actor code split into GDELT's actor attribute
// columns. Ethnic is never filled: dyad codes no ethnic groups.
type ActorCodes struct {
	Country    string    // ISO-3 country or CAMEO region (WST, EUR, AFR...)
	KnownGroup string    // named organization: UNO, EEC, NAT, AMN...
	Ethnic     string    // always ""
	Religion1  string    // CAMEO religion (MOS, CHR...) when the code has one
	Religion2  string    //
	Types      [3]string // GOV, MIL, IGO, NGO... in code order
}

// SplitActor splits a CAMEO actor code into three-letter parts and files each
// the way GDELT's columns do:
//   - a country or region in the first part, or in the second after an
//     international prefix (IGO, NGO, IMG, INT, MNC, NGM, UIS), is the country:
//     IGOEUREEC → country EUR, MNCUSA → country USA;
//   - role and sector codes (GOV, MIL, REB, BUS, MED, IGO, NGO...) are types,
//     up to three;
//   - religion codes after the first part are religions;
//   - any other part names an organization: the last one is the known group,
//     so IGOUNOREFHCR gives HCR (UNHCR) and IGOUNO gives UNO.
//
// "---" (unknown country) and a trailing part shorter than three letters are
// ignored. The split needs no dictionary, so it works on any dyad code.
func SplitActor(code string) ActorCodes {
	var a ActorCodes
	nt, nr := 0, 0
	intl := false
	for i := 0; i+3 <= len(code); i += 3 {
		p := code[i : i+3]
		if !upper3(p) {
			continue
		}
		switch {
		case a.Country == "" && (i == 0 || (i == 3 && intl)) && (countries.has(p) || regions.has(p)):
			a.Country = p
		case types.has(p):
			if i == 0 && internationals.has(p) {
				intl = true
			}
			if nt < len(a.Types) {
				a.Types[nt] = p
				nt++
			}
		case i > 0 && religions.has(p):
			switch nr {
			case 0:
				a.Religion1 = p
			case 1:
				a.Religion2 = p
			}
			nr++
		default:
			a.KnownGroup = p
		}
	}
	return a
}

func upper3(p string) bool {
	for i := range 3 {
		if p[i] < 'A' || p[i] > 'Z' {
			return false
		}
	}
	return true
}

// set is a set of three-letter codes.
type set map[string]struct{}

func (s set) has(k string) bool { _, ok := s[k]; return ok }

func newSet(list string) set {
	f := strings.Fields(list)
	s := make(set, len(f))
	for _, k := range f {
		s[k] = struct{}{}
	}
	return s
}

var (
	// countries are the ISO-3 (and historical CAMEO) country codes of dyad's
	// countries.tsv; a test keeps the two in step.
	countries = newSet(`
ABW AFG AGO AIA ALB AND ARE ARG ARM ASM ATG AUS AUT AZE BDI BEL BEN BFA BGD BGR BHR BHS BIH BLR BLZ
BMU BOL BRA BRB BRN BTN BWA CAF CAN CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CSK CUB CUW CYM
CYP CZE DDR DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO
GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HND HRV HTI HUN IDN IMN IND IRL IRN IRQ
ISL ISR ITA JAM JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KSV KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX
LVA MAC MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM
NCL NER NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT
REU ROU RUS RWA SAU SDN SEN SGP SHN SLB SLE SLV SMR SOM SRB SSD STP SUN SUR SVK SVN SWE SWZ SYC SYR
TCA TCD TGO THA TJK TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR URY USA UZB VAT VCT VEN VGB VIR VNM
VUT WSM YEM YUG ZAF ZMB ZWE`)
	// regions are CAMEO's regional codes, which GDELT files as countries.
	regions = newSet(`AFR ARB ASA BLK CAS CAU CEU CFR CRB EAF EEU EIN EUR LAM MDT MEA NAF NMR PGS SAF SAM SAS
SCN SEA WAF WST`)
	// internationals may be followed by a country or region.
	internationals = newSet(`IGO IMG INT MNC NGM NGO UIS`)
	// types are CAMEO role, sector and international type codes, plus dyad's
	// REL (religious leaders) sector.
	types = newSet(`COP GOV INS JUD MIL OPP REB SEP SPY UAF AGR BUS CRM CVL DEV EDU ELI ENV HLH HRI LAB LEG
MED REF MOD RAD PKO SET REL IGO IMG INT MNC NGM NGO UIS`)
	// religions are CAMEO religion codes.
	religions = newSet(`ADR ALE ATH BAH BUD CHR CON CPT CTH DOX DRZ HIN HSD ITR JAN JEW JHW LDS MOS MRN NRM PAG
PRO SFI SHI SHN SIK SUN TAO UDX ZRO`)
)
