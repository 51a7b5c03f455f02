package explain

import (
	"strings"

	"github.com/wordspace/wordspace/analogy"
)

// relationPairs are the built-in relations: word pairs (a, b) with the
// same relation between them. Every ordered pair of pairs of a relation
// makes a question a1:b1 :: a2:?, answered b2.
var relationPairs = []struct {
	name      string
	syntactic bool
	pairs     string
}{
	{"capital of a country", false, "france:paris england:london italy:rome spain:madrid germany:berlin greece:athens egypt:cairo russia:moscow japan:tokyo ireland:dublin scotland:edinburgh portugal:lisbon austria:vienna israel:jerusalem syria:damascus india:delhi poland:warsaw sweden:stockholm norway:oslo denmark:copenhagen hungary:budapest belgium:brussels cuba:havana peru:lima iraq:baghdad"},
	{"nationality", false, "france:french england:english spain:spanish germany:german italy:italian greece:greek egypt:egyptian russia:russian china:chinese japan:japanese ireland:irish scotland:scottish switzerland:swiss cambodia:cambodian poland:polish sweden:swedish america:american canada:canadian mexico:mexican india:indian persia:persian"},
	{"male and female", false, "man:woman king:queen boy:girl father:mother son:daughter brother:sister husband:wife he:she his:her uncle:aunt prince:princess lord:lady nephew:niece male:female sir:madam grandfather:grandmother bridegroom:bride"},
	{"plural", true, "car:cars house:houses child:children man:men woman:women dog:dogs horse:horses city:cities king:kings tree:trees day:days book:books hand:hands eye:eyes foot:feet mouse:mice dollar:dollars year:years word:words river:rivers ship:ships nation:nations bird:birds"},
	{"comparative", true, "big:bigger small:smaller good:better bad:worse great:greater old:older young:younger strong:stronger long:longer high:higher large:larger warm:warmer deep:deeper rich:richer poor:poorer wise:wiser cold:colder hard:harder fast:faster low:lower"},
	{"superlative", true, "big:biggest small:smallest good:best bad:worst great:greatest old:oldest young:youngest strong:strongest long:longest high:highest large:largest deep:deepest rich:richest wise:wisest low:lowest hard:hardest fast:fastest cold:coldest"},
	{"past tense", true, "go:went see:saw take:took give:gave come:came say:said eat:ate know:knew speak:spoke write:wrote run:ran walk:walked play:played look:looked sing:sang fall:fell rise:rose find:found think:thought bring:brought tell:told sit:sat stand:stood"},
	{"opposite by un- or im-", true, "ethical:unethical possible:impossible happy:unhappy known:unknown able:unable fair:unfair just:unjust likely:unlikely certain:uncertain aware:unaware clean:unclean kind:unkind wise:unwise usual:unusual natural:unnatural pleasant:unpleasant lawful:unlawful worthy:unworthy perfect:imperfect patient:impatient"},
}

// Relations returns the built-in analogy questions of section 2, one
// section per relation: every ordered pair of word pairs of a relation
// (capitals, nationalities, male and female, plurals, comparatives,
// superlatives, past tenses, opposites), about 400 questions each.
func Relations() []analogy.Section {
	var out []analogy.Section
	for _, r := range relationPairs {
		var pairs [][2]string
		for _, f := range strings.Fields(r.pairs) {
			a, b, _ := strings.Cut(f, ":")
			pairs = append(pairs, [2]string{a, b})
		}
		sec := analogy.Section{Name: r.name, Syntactic: r.syntactic}
		for i, p := range pairs {
			for j, q := range pairs {
				if i != j {
					sec.Questions = append(sec.Questions, analogy.Question{A: p[0], B: p[1], C: q[0], Answers: []string{q[1]}})
				}
			}
		}
		out = append(out, sec)
	}
	return out
}
