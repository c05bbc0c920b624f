package coder

import "testing"

// Invented sentences for the round-6 precision mechanisms: an acting "It"
// that opens a sentence, intransitive meetings, a state named in another
// clause, towns that only modify or describe, relative clauses about
// someone else, and monitors at a venue.
func TestRound6Precision(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"acting It is the last body", "Kenyan MPs criticised Chad. It is also calling on the Chad government to resign.", "KENLEG>TCD:11 KENLEG>TCDGOV:02"},
		{"expletive It is no one", "Kenyan MPs criticised Chad. It is understood that the Kenyan president urged Chad to resign.", "KENLEG>TCD:11 KENGOV>TCD:02"},
		{"It too far back", "Kenyan MPs criticised Chad. The weather was fine. The sun shone. Crowds gathered. It urged Chad to resign.", "KENLEG>TCD:11 ->TCD:02"},
		{"a meeting to decide", "The Kenyan council will meet to decide whether to apply to Chad officials for approval.", "KEN>-:03"},
		{"a meeting due, then another clause", "The Kenyan executive was due to meet anyway although Chad officials are holding talks.", "KEN>-:03"},
		{"a meeting with someone", "The Kenyan president will meet Chad officials.", "KENGOV>TCDGOV:03"},
		{"talks held later", "The Kenyan president will hold talks with Chad officials.", "KENGOV>TCDGOV:03"},
		{"holding a conference is no meeting", "The Kenyan party will hold its conference in Nairobi.", ""},
		{"a place in another clause", "Kenyan MPs met in Nairobi on Monday. Mr Obare, whose father died in Chad, said the prince had apologised.", "KENELI>-:05"},
		{"a town that names a thing", "The Kenyan president criticised the Brighton conference.", "KENGOV>-:11"},
		{"a town criticised", "The Kenyan president criticised Brighton.", "KENGOV>GBR:11"},
		{"a town after a person", "Kenyan police said Mr Ngugi, from Brighton, was arrested.", "->---:17"},
		{"a town alone", "A man from Brighton was arrested by Kenyan police.", "KENCOP>GBR:17"},
		{"a relative clause about someone else", "Kenyan police are searching for Obare, who failed to return after a trip to Chad.", ""},
		{"a trip made", "Kenyan police made a trip to Chad.", "KENCOP>TCD:04"},
		{"his after a verb of judgement", "The Kenyan president said Mr Obare would stay, and praised his handling of the economy.", "KENGOV>KEN:05"},
		{"his alone", "The Kenyan president praised his own record.", "KENGOV>-:05"},
		{"an apposition describes its person", "Robert Mugabe, a former Chad envoy, criticised Kenya.", "ZWEGOV>KEN:11"},
		{"an unknown person keeps the apposition", "Mr Obare, a former Chad minister, criticised Kenya.", "TCDGOV>KEN:11"},
		{"a list is no apposition", "Chad, the Kenyan government and Sudan criticised Uganda.", "TCD>UGA:11 KENGOV>UGA:11 SDN>UGA:11"},
		{"talks due", "The Kenyan president is due to take part in talks with Chad officials on Friday.", "KENGOV>TCDGOV:03"},
		{"talks held", "The Kenyan president took part in talks with Chad officials on Friday.", "KENGOV>TCDGOV:04"},
		{"due to a cause", "Kenyan police arrested Chad protesters due to the unrest.", "KENCOP>TCDCVL:17"},
		{"a greeting", "\"Welcome to the Chad media centre,\" the Kenyan president said.", ""},
		{"monitors at a venue", "Kenyan groups deployed 100 monitors at hunts in Chad.", ""},
	}
	for _, c := range cases {
		if got := brief(code(t, c.text, "2005-03-01")); got != c.want {
			t.Errorf("%s: %q\n got  %q\n want %q", c.name, c.text, got, c.want)
		}
	}
}
