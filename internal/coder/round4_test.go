package coder

import "testing"

// Invented sentences for the round-4 precision mechanisms: announced or
// conditional disapproval, impressions, duties and imminent acts,
// participles used as labels, what proposals include, nouns that a passive
// acts on, invitations to a post, poll shares, acts a plan holds, force
// an effort would end, participles that describe, appeals to values,
// what one insists on, denied acts, and statements or warnings whose
// content finds fault.
func TestRound4Precision(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"announced criticism is not done", "Mr Pellow of Kenya will attack Chad's record in a speech on Friday.", ""},
		{"criticism done", "Mr Pellow of Kenya attacked Chad's record in a speech on Friday.", "KEN>TCD:11"},
		{"readiness to veto is not a veto", "Kenyan officials said Kenya was prepared to veto any bid by Chad.", ""},
		{"conditional rejection", "Kenyan officials said they would reject the treaty with Chad unless changes were made.", ""},
		{"declared rejection", "Kenyan officials said they would reject the treaty with Chad.", "KENGOV>TCD:12"},
		{"an impression of agreement", "Kenyan officials seemed to agree with Chad on one thing.", ""},
		{"warning that blames", "The Kenyan opposition warned the Chad government that it was pandering to prejudice.", "KENOPP>TCDGOV:11"},
		{"warning that foresees", "The Kenyan opposition warned the Chad government that it could lose votes.", "KENOPP>TCDGOV:01"},
		{"told of a mistake", "Mr Pellow of Kenya told the Chad government that it was making a mistake.", "KEN>TCDGOV:11"},
		{"told of a plan", "Mr Pellow of Kenya told the Chad government that it was making a plan.", "KEN>TCDGOV:01"},
		{"failure blamed on an actor", "Mr Pellow of Kenya said the Chad government's failure to act was clear.", "KEN>TCDGOV:11"},
		{"about to act is not done", "Kenyan officials said Mr Pellow was about to criticise Chad.", ""},
		{"a duty is not an act", "Kenya has to cooperate with Chad.", ""},
		{"cooperation done", "Kenya cooperated with Chad.", "KEN>TCD:05"},
		{"an alleged act is a label", "A Kenyan court ruled that alleged breaches by Chad should be heard.", ""},
		{"an allegation made", "Kenyan officials alleged that Chad had broken the treaty.", "KENGOV>TCD:11"},
		{"a denied act is a denial", "Mr Pellow of Kenya denied accusing Chad of fraud.", "KEN>-:01"},
		{"an accusation made", "Mr Pellow of Kenya accused Chad of fraud.", "KEN>TCD:11"},
		{"told to act is a request", "Mr Pellow of Kenya told the Chad government to focus on trade.", "KEN>TCDGOV:02"},
		{"told that is a statement", "Mr Pellow of Kenya told the Chad government that trade was growing.", "KEN>TCDGOV:01"},
		{"a pity blames", "Mr Pellow of Kenya told the Chad government that it was a pity Sudan had no voice.", "KEN>TCDGOV:11"},
		{"another speaker's blame", "Mr Pellow of Kenya was responding to Chad's minister, who said the plan was authoritarian.", "KEN>TCDGOV:01"},
		{"what plans include", "Other plans include extending rights to Kenyan farmers.", ""},
		{"rights extended", "Kenya extended rights to farmers.", "KEN>KENAGR:08"},
		{"a label opens the sentence", "Sacked Kenyan minister John Obare has criticised Chad.", "KENGOV>TCD:11"},
		{"a noun subject of a passive", "A call for Kenyan sanctions has been rejected by the Chad government.", ""},
		{"an invitation to a post", "Mr Obare of Kenya said he had accepted the party's invitation to stand.", ""},
		{"an invitation to a visit", "Mr Obare of Kenya accepted an invitation to visit Chad.", "KEN>TCD:03"},
		{"killing a plan is no violence", "Kenyan officials killed the Chad plan on Monday.", ""},
		{"killing people is", "Kenyan soldiers killed two Chad civilians.", "KENMIL>TCDCVL:19"},
		{"powers a modifier marks as a noun", "They would replace current powers to detain Kenyan suspects without trial.", ""},
		{"a prospect some words before", "Kenyan officials would face up to two years in jail.", ""},
		{"a poll's share", "In a Kenyan poll, 39% opposed the Chad treaty.", ""},
		{"voters opposed", "Kenyan voters opposed the Chad treaty.", "KENCVL>TCD:11"},
		{"an act a plan's chain holds", "Mr Obare of Kenya defended plans to introduce orders to keep Chad suspects under house arrest.", ""},
		{"attacks an effort would end", "Mr Obare said Kenya was working to end terror attacks by Chad rebels.", ""},
		{"attacks launched", "Chad rebels launched terror attacks on Kenya.", "TCDREB>KEN:18"},
		{"insisted on a day", "Kenyan officials insisted on Monday the Chad treaty was sound.", ""},
		{"insisted on a programme", "Kenyan officials insisted on BBC Radio that the Chad treaty was sound.", ""},
		{"insisted on talks", "Mr Obare of Kenya insisted on talks with Chad.", "KEN>TCD:10"},
		{"insisting someone should is a demand", "Mr Obare of Kenya was insisting Chad should pay.", "KEN>TCD:10"},
		{"saying someone should is an appeal", "Mr Obare of Kenya said Chad should pay.", "KEN>TCD:02"},
		{"a participle that describes", "Mr Obare of Kenya called for the release of inmates at a Sudan camp and suspects detained without trial in Chad.", "KEN>-:02"},
		{"an appeal to values", "The Kenyan president made an appeal to core Chad values.", ""},
		{"an appeal to a state", "The Kenyan president made an appeal to Chad for aid.", "KENGOV>TCD:02"},
		{"readiness that describes a noun", "Kenyan farmers hire labour prepared to work for Chad wages.", ""},
		{"readiness stated", "Kenya is prepared to work with Chad.", "KEN>TCD:03"},
		{"the failure of a thing", "Mr Pellow of Kenya said that following the failure of the first bid, Chad had worked hard.", ""},
	}
	for _, c := range cases {
		if got := brief(code(t, c.text, "2005-03-01")); got != c.want {
			t.Errorf("%s: %q\n got  %q\n want %q", c.name, c.text, got, c.want)
		}
	}
}
