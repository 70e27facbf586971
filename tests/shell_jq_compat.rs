//! jq against the real jq: each case below was run through Debian's jq 1.6
//! (`jq ARGS < INPUT`) and its stdout, stderr and exit status recorded here.
//! Deliberate differences are tested separately at the end.

use servicecidr_sim::kubectl::jq::run_jq;

fn check(args: &[&str], input: &str, stdout: &str, stderr: &str, exit: i32) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (o, e, c) = run_jq(&args, input);
    assert_eq!(o, stdout, "stdout of jq {args:?}");
    assert_eq!(e, stderr, "stderr of jq {args:?}");
    assert_eq!(c, exit, "exit status of jq {args:?}");
}

#[test]
fn jq_case_001() {
    check(
        &[r#"-r"#, r#".spec.clusterIP"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"10.96.0.11
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_002() {
    check(&[r#"-r"#, r#".spec.clusterIP"#], r#""#, r#""#, r#""#, 0);
}

#[test]
fn jq_case_003() {
    check(
        &[r#"-r"#, r#".spec.clusterIP"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"10.96.0.11
10.96.0.11
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_004() {
    check(
        &[r#"."#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {
    "name": "test-1",
    "namespace": "default",
    "labels": {
      "app": "test-1"
    }
  },
  "spec": {
    "clusterIP": "10.96.0.11",
    "clusterIPs": [
      "10.96.0.11"
    ],
    "ports": [
      {
        "name": "80",
        "port": 80,
        "protocol": "TCP",
        "targetPort": 80
      }
    ],
    "type": "ClusterIP"
  },
  "status": {
    "loadBalancer": {}
  }
}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_005() {
    check(
        &[r#"-c"#, r#"."#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"test-1","namespace":"default","labels":{"app":"test-1"}},"spec":{"clusterIP":"10.96.0.11","clusterIPs":["10.96.0.11"],"ports":[{"name":"80","port":80,"protocol":"TCP","targetPort":80}],"type":"ClusterIP"},"status":{"loadBalancer":{}}}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_006() {
    check(
        &[r#".metadata"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"{
  "name": "test-1",
  "namespace": "default",
  "labels": {
    "app": "test-1"
  }
}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_007() {
    check(
        &[r#".spec.ports[0].port"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"80
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_008() {
    check(
        &[r#".spec.ports[-1]"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"{
  "name": "80",
  "port": 80,
  "protocol": "TCP",
  "targetPort": 80
}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_009() {
    check(
        &[r#".items[].metadata.name"#],
        r#"{"items": [{"metadata": {"name": "a"}, "spec": {"x": 1}}, {"metadata": {"name": "b"}, "spec": {"x": 2}}], "kind": "List"}
"#,
        r#""a"
"b"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_010() {
    check(
        &[r#"-r"#, r#".items[].metadata.name"#],
        r#"{"items": [{"metadata": {"name": "a"}, "spec": {"x": 1}}, {"metadata": {"name": "b"}, "spec": {"x": 2}}], "kind": "List"}
"#,
        r#"a
b
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_011() {
    check(
        &[r#"[.items[] | select(.spec.x == 2) | .metadata.name]"#],
        r#"{"items": [{"metadata": {"name": "a"}, "spec": {"x": 1}}, {"metadata": {"name": "b"}, "spec": {"x": 2}}], "kind": "List"}
"#,
        r#"[
  "b"
]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_012() {
    check(
        &[r#"-c"#, r#".items | map(.spec.x)"#],
        r#"{"items": [{"metadata": {"name": "a"}, "spec": {"x": 1}}, {"metadata": {"name": "b"}, "spec": {"x": 2}}], "kind": "List"}
"#,
        r#"[1,2]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_013() {
    check(
        &[r#".items | length"#],
        r#"{"items": [{"metadata": {"name": "a"}, "spec": {"x": 1}}, {"metadata": {"name": "b"}, "spec": {"x": 2}}], "kind": "List"}
"#,
        r#"2
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_014() {
    check(
        &[r#"keys"#],
        r#"{"items": [{"metadata": {"name": "a"}, "spec": {"x": 1}}, {"metadata": {"name": "b"}, "spec": {"x": 2}}], "kind": "List"}
"#,
        r#"[
  "items",
  "kind"
]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_015() {
    check(
        &[r#".metadata["name"]"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#""test-1"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_016() {
    check(
        &[r#".metadata.labels.app // "d""#, r#".metadata.nope // "d""#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#""#,
        r#"jq: error: Could not open file .metadata.nope // "d": No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_017() {
    check(
        &[r#".metadata.nope // "d""#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#""d"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_018() {
    check(
        &[r#".a.b.c"#],
        r#"null"#,
        r#"null
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_019() {
    check(
        &[r#".a"#],
        r#"5"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Cannot index number with string "a"
"#,
        5,
    );
}

#[test]
fn jq_case_020() {
    check(
        &[r#".a"#],
        r#"5
{"a":3}
"#,
        r#"3
"#,
        r#"jq: error (at <stdin>:1): Cannot index number with string "a"
"#,
        0,
    );
}

#[test]
fn jq_case_021() {
    check(
        &[r#".[]"#],
        r#"{"a":1,"b":[1,2]}"#,
        r#"1
[
  1,
  2
]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_022() {
    check(
        &[r#"-c"#, r#".[]"#],
        r#"{"a":1,"b":[1,2]}"#,
        r#"1
[1,2]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_023() {
    check(
        &[r#"."#],
        r#"{"a":1,"b":[1,2],"c":{},"d":[],"e":"x\u0001\u007f\u00e9\"","f":1.5,"g":1e1000,"h":100000000000000000000,"i":-0,"j":0.00001}"#,
        r#"{
  "a": 1,
  "b": [
    1,
    2
  ],
  "c": {},
  "d": [],
  "e": "x\u0001\u007fé\"",
  "f": 1.5,
  "g": 1.7976931348623157e+308,
  "h": 1e+20,
  "i": -0,
  "j": 1e-05
}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_024() {
    check(
        &[r#"-r"#, r#".e"#],
        r#"{"e":"a\tb"}"#,
        r#"a	b
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_025() {
    check(
        &[r#"-j"#, r#".a, .b"#],
        r#"{"a":"x","b":2}"#,
        r#"x2"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_026() {
    check(
        &[r#"to_entries"#],
        r#"{"a":1,"b":2}"#,
        r#"[
  {
    "key": "a",
    "value": 1
  },
  {
    "key": "b",
    "value": 2
  }
]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_027() {
    check(
        &[r#"-c"#, r#"with_entries(.value += 1)"#],
        r#"{"a":1,"b":2}"#,
        r#"{"a":2,"b":3}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_028() {
    check(
        &[r#"-c"#, r#"[.[] | tostring]"#],
        r#"[1,"a",null,true,[1],{"a":1}]"#,
        r#"["1","a","null","true","[1]","{\"a\":1}"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_029() {
    check(
        &[r#"-c"#, r#"sort"#],
        r#"[3,"a",null,true,false,[1],{"a":1},1]"#,
        r#"[null,false,true,1,3,"a",[1],{"a":1}]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_030() {
    check(
        &[r#"-c"#, r#"sort_by(.a)"#],
        r#"[{"a":3},{"a":1},{"a":2}]"#,
        r#"[{"a":1},{"a":2},{"a":3}]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_031() {
    check(
        &[r#"-c"#, r#"group_by(.a)"#],
        r#"[{"a":3,"b":1},{"a":1},{"a":3,"b":2}]"#,
        r#"[[{"a":1}],[{"a":3,"b":1},{"a":3,"b":2}]]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_032() {
    check(
        &[r#"-c"#, r#"unique"#],
        r#"[3,1,3,2,1]"#,
        r#"[1,2,3]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_033() {
    check(
        &[r#"add"#],
        r#"[1,2,3]"#,
        r#"6
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_034() {
    check(
        &[r#"add"#],
        r#"["a","b"]"#,
        r#""ab"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_035() {
    check(
        &[r#"-c"#, r#"map(select(. > 1))"#],
        r#"[1,2,3]"#,
        r#"[2,3]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_036() {
    check(
        &[r#"join("-")"#],
        r#"["a","b","c"]"#,
        r#""a-b-c"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_037() {
    check(
        &[r#"split(".")"#],
        r#""10.96.0.1""#,
        r#"[
  "10",
  "96",
  "0",
  "1"
]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_038() {
    check(
        &[r#"-c"#, r#"{name: .metadata.name, ip: .spec.clusterIP}"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"{"name":"test-1","ip":"10.96.0.11"}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_039() {
    check(
        &[r#"-c"#, r#"{(.metadata.name): .spec.clusterIP}"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"{"test-1":"10.96.0.11"}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_040() {
    check(
        &[r#""\(.metadata.name)=\(.spec.clusterIP)""#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#""test-1=10.96.0.11"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_041() {
    check(
        &[r#"-r"#, r#".items[] | "\(.metadata.name) \(.spec.x)""#],
        r#"{"items": [{"metadata": {"name": "a"}, "spec": {"x": 1}}, {"metadata": {"name": "b"}, "spec": {"x": 2}}], "kind": "List"}
"#,
        r#"a 1
b 2
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_042() {
    check(
        &[r#"-r"#, r#".items[] | [.metadata.name, .spec.x] | @tsv"#],
        r#"{"items": [{"metadata": {"name": "a"}, "spec": {"x": 1}}, {"metadata": {"name": "b"}, "spec": {"x": 2}}], "kind": "List"}
"#,
        r#"a	1
b	2
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_043() {
    check(
        &[r#"-r"#, r#".items[] | [.metadata.name, .spec.x] | @csv"#],
        r#"{"items": [{"metadata": {"name": "a"}, "spec": {"x": 1}}, {"metadata": {"name": "b"}, "spec": {"x": 2}}], "kind": "List"}
"#,
        r#""a",1
"b",2
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_044() {
    check(
        &[r#"if .a then "yes" else "no" end"#],
        r#"{"a":1}"#,
        r#""yes"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_045() {
    check(
        &[r#"if .a == 1 then "one" elif .a == 2 then "two" else "many" end"#],
        r#"{"a":2}"#,
        r#""two"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_046() {
    check(
        &[r#".a as $x | $x + 1"#],
        r#"{"a":1}"#,
        r#"2
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_047() {
    check(
        &[r#"reduce .[] as $x (0; . + $x)"#],
        r#"[1,2,3]"#,
        r#"6
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_048() {
    check(
        &[r#"-c"#, r#"[limit(2; .[])]"#],
        r#"[1,2,3]"#,
        r#"[1,2]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_049() {
    check(
        &[r#"first(.[])"#],
        r#"[1,2,3]"#,
        r#"1
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_050() {
    check(
        &[r#"-c"#, r#"[range(3)]"#],
        r#"null"#,
        r#"[0,1,2]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_051() {
    check(
        &[r#"-c"#, r#"[.[] | numbers]"#],
        r#"[1,"a",null]"#,
        r#"[1]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_052() {
    check(
        &[r#"has("a")"#],
        r#"{"a":1}"#,
        r#"true
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_053() {
    check(
        &[r#".[] | has(1)"#],
        r#"[[0,1],[0]]"#,
        r#"true
false
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_054() {
    check(
        &[r#"length"#],
        r#""héllo""#,
        r#"5
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_055() {
    check(
        &[r#"length"#],
        r#"true"#,
        r#""#,
        r#"jq: error (at <stdin>:0): boolean (true) has no length
"#,
        5,
    );
}

#[test]
fn jq_case_056() {
    check(
        &[r#"keys"#],
        r#"5"#,
        r#""#,
        r#"jq: error (at <stdin>:0): number (5) has no keys
"#,
        5,
    );
}

#[test]
fn jq_case_057() {
    check(
        &[r#".a + 1"#],
        r#"{"a":"x"}"#,
        r#""#,
        r#"jq: error (at <stdin>:0): string ("x") and number (1) cannot be added
"#,
        5,
    );
}

#[test]
fn jq_case_058() {
    check(
        &[r#".[] as $x | $x * 2"#],
        r#"[1,2]"#,
        r#"2
4
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_059() {
    check(
        &[r#"-e"#, r#".a"#],
        r#"{"a":null}"#,
        r#"null
"#,
        r#""#,
        1,
    );
}

#[test]
fn jq_case_060() {
    check(
        &[r#"-e"#, r#".a"#],
        r#"{"a":1}"#,
        r#"1
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_061() {
    check(&[r#"-e"#, r#"empty"#], r#"1"#, r#""#, r#""#, 4);
}

#[test]
fn jq_case_062() {
    check(
        &[r#"-n"#, r#"1+1"#],
        r#""#,
        r#"2
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_063() {
    check(
        &[r#"-s"#, r#"-c"#, r#"."#],
        r#"1 2 3"#,
        r#"[1,2,3]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_064() {
    check(
        &[r#"--arg"#, r#"x"#, r#"v"#, r#"-c"#, r#"{x: $x}"#],
        r#"null"#,
        r#"{"x":"v"}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_065() {
    check(
        &[r#"--argjson"#, r#"x"#, r#"{"a":1}"#, r#"-c"#, r#"$x.a"#],
        r#"null"#,
        r#"1
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_066() {
    check(
        &[r#"foo"#],
        r#"1"#,
        r#""#,
        r#"jq: error: foo/0 is not defined at <top-level>, line 1:
foo
jq: 1 compile error
"#,
        3,
    );
}

#[test]
fn jq_case_067() {
    check(
        &[r#".a["#],
        r#"1"#,
        r#""#,
        r#"jq: error: syntax error, unexpected $end (Unix shell quoting issues?) at <top-level>, line 1:
.a[  
jq: 1 compile error
"#,
        3,
    );
}

#[test]
fn jq_case_068() {
    check(
        &[r#"xx yy"#],
        r#"1"#,
        r#""#,
        r#"jq: error: syntax error, unexpected IDENT, expecting $end (Unix shell quoting issues?) at <top-level>, line 1:
xx yy   
jq: 1 compile error
"#,
        3,
    );
}

#[test]
fn jq_case_069() {
    check(
        &[r#"$x"#],
        r#"1"#,
        r#""#,
        r#"jq: error: $x is not defined at <top-level>, line 1:
$x
jq: 1 compile error
"#,
        3,
    );
}

#[test]
fn jq_case_070() {
    check(
        &[r#"-Z"#, r#"."#],
        r#"1"#,
        r#""#,
        r#"jq: Unknown option -Z
Use jq --help for help with command-line options,
or see the jq manpage, or online docs  at https://stedolan.github.io/jq
"#,
        2,
    );
}

#[test]
fn jq_case_071() {
    check(
        &[r#"."#, r#"nofile"#],
        r#"1"#,
        r#""#,
        r#"jq: error: Could not open file nofile: No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_072() {
    check(
        &[r#"try error("x") catch ."#],
        r#"1"#,
        r#""x"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_073() {
    check(
        &[r#"error("boom")"#],
        r#"1"#,
        r#""#,
        r#"jq: error (at <stdin>:0): boom
"#,
        5,
    );
}

#[test]
fn jq_case_074() {
    check(
        &[r#"error({"a":1})"#],
        r#"1"#,
        r#""#,
        r#"jq: error (at <stdin>:0) (not a string): {"a":1}
"#,
        5,
    );
}

#[test]
fn jq_case_075() {
    check(&[r#".[]?"#], r#"5"#, r#""#, r#""#, 0);
}

#[test]
fn jq_case_076() {
    check(
        &[r#"[.[] | .a?]"#],
        r#"[1,{"a":2}]"#,
        r#"[
  2
]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_077() {
    check(
        &[r#"-c"#, r#"[..]"#],
        r#"[1,[2]]"#,
        r#"[[1,[2]],1,[2],2]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_078() {
    check(
        &[r#"-c"#, r#"paths"#],
        r#"[1]"#,
        r#"[0]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_079() {
    check(
        &[r#"tonumber"#],
        r#""1.50""#,
        r#"1.5
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_080() {
    check(
        &[r#"tonumber"#],
        r#""x""#,
        r#""#,
        r#"jq: error (at <stdin>:0): Invalid numeric literal at EOF at line 1, column 1 (while parsing 'x')
"#,
        5,
    );
}

#[test]
fn jq_case_081() {
    check(
        &[r#"-c"#, r#".[1:]"#],
        r#"[1,2,3]"#,
        r#"[2,3]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_082() {
    check(
        &[r#".[2:4]"#],
        r#""abcdef""#,
        r#""cd"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_083() {
    check(
        &[r#"-S"#, r#"-c"#, r#"."#],
        r#"{"b":1,"a":{"d":1,"c":2}}"#,
        r#"{"a":{"c":2,"d":1},"b":1}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_084() {
    check(
        &[r#"--tab"#, r#"."#],
        r#"[1,[2]]"#,
        r#"[
	1,
	[
		2
	]
]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_085() {
    check(
        &[r#"--indent"#, r#"1"#, r#"."#],
        r#"[1,[2]]"#,
        r#"[
 1,
 [
  2
 ]
]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_086() {
    check(
        &[r#"-c"#, r#"to_entries | from_entries"#],
        r#"{"a":1}"#,
        r#"{"a":1}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_087() {
    check(
        &[r#".a and .b"#, r#".a or .b"#],
        r#"{"a":true,"b":false}"#,
        r#""#,
        r#"jq: error: Could not open file .a or .b: No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_088() {
    check(
        &[r#"-c"#, r#"(1,2) + (10,20)"#],
        r#"null"#,
        r#"11
12
21
22
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_089() {
    check(
        &[r#"-c"#, r#"{a:(1,2), b:(3,4)}"#],
        r#"null"#,
        r#"{"a":1,"b":3}
{"a":1,"b":4}
{"a":2,"b":3}
{"a":2,"b":4}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_090() {
    check(
        &[r#""\(1,2)-\(3,4)""#],
        r#"null"#,
        r#""1-3"
"2-3"
"1-4"
"2-4"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_091() {
    check(
        &[r#"[.[] | ascii_downcase]"#, r#"-c"#],
        r#"["AbC"]"#,
        r#"["abc"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_092() {
    check(
        &[r#"ltrimstr("10.")"#],
        r#""10.96.0.1""#,
        r#""96.0.1"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_093() {
    check(
        &[r#"startswith("10.")"#],
        r#""10.96.0.1""#,
        r#"true
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_094() {
    check(
        &[r#".a = 1"#],
        r#"{}"#,
        r#"{
  "a": 1
}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_095() {
    check(
        &[r#"@base64"#],
        r#""hello""#,
        r#""aGVsbG8="
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_096() {
    check(
        &[r#"@base64d"#],
        r#""aGVsbG8=""#,
        r#""hello"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_097() {
    check(
        &[r#"min"#, r#"max"#],
        r#"[3,1,2]"#,
        r#""#,
        r#"jq: error: Could not open file max: No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_098() {
    check(
        &[r#"-c"#, r#"flatten"#],
        r#"[1,[2,[3]]]"#,
        r#"[1,2,3]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_099() {
    check(
        &[r#"any"#, r#"all"#],
        r#"[true,false]"#,
        r#""#,
        r#"jq: error: Could not open file all: No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_100() {
    check(
        &[r#"contains("bar")"#],
        r#""foobar""#,
        r#"true
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_101() {
    check(
        &[r#"-c"#, r#"contains({a:[1]})"#],
        r#"{"a":[1,2],"b":3}"#,
        r#"true
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_102() {
    check(
        &[r#".metadata.name | ascii_upcase"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#""TEST-1"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_103() {
    check(
        &[r#"-r"#, r#".spec.clusterIPs[]"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"10.96.0.11
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_104() {
    check(
        &[r#"-r"#, r#".spec.clusterIPs | join(",")"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"10.96.0.11
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_105() {
    check(
        &[r#".x"#],
        r#"[]"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Cannot index array with string "x"
"#,
        5,
    );
}

#[test]
fn jq_case_106() {
    check(
        &[r#".[0]"#],
        r#"{}"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Cannot index object with number
"#,
        5,
    );
}

#[test]
fn jq_case_107() {
    check(
        &[r#".["a"]"#],
        r#"{"a":"b"}"#,
        r#""b"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_108() {
    check(
        &[
            r#"-c"#,
            r#"walk(if type == "number" then . + 1 else . end)"#,
        ],
        r#"{"b":[1,{"c":2}],"a":1}"#,
        r#"{"b":[2,{"c":3}],"a":2}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_109() {
    check(
        &[r#"-r"#, r#"."#],
        r#""x"
"y""#,
        r#"x
y
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_110() {
    check(
        &[r#"-c"#, r#"del(.a)"#],
        r#"{"a":1}"#,
        r#"{}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_111() {
    check(
        &[r#"-c"#, r#"[.[] | select(.x) ]"#],
        r#"[{"x":null},{"x":1}]"#,
        r#"[{"x":1}]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_112() {
    check(
        &[r#".a.b"#],
        r#"{"a":[1]}"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Cannot index array with string "b"
"#,
        5,
    );
}

#[test]
fn jq_case_113() {
    check(
        &[r#"-n"#, r#"[inputs]"#, r#"-c"#],
        r#"1 2"#,
        r#"[1,2]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_114() {
    check(
        &[r#"-c"#, r#"getpath(["a","b"])"#],
        r#"{"a":{"b":5}}"#,
        r#"5
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_115() {
    check(
        &[r#".[] | tostring"#],
        r#"[1.0, 1.5, 100]"#,
        r#""1"
"1.5"
"100"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_116() {
    check(
        &[r#"-c"#, r#"keys_unsorted"#],
        r#"{"b":1,"a":2}"#,
        r#"["b","a"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_117() {
    check(
        &[],
        r#"{"a":1}"#,
        r#"{
  "a": 1
}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_118() {
    check(
        &[r#"-r"#],
        r#""x""#,
        r#"x
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_119() {
    check(
        &[r#"-c"#, r#"map(.+1)"#],
        r#"{"a":1}"#,
        r#"[2]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_120() {
    check(
        &[r#"-c"#, r#".[-1:]"#],
        r#"[1,2,3]"#,
        r#"[3]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_121() {
    check(
        &[r#"1 / 0"#],
        r#"null"#,
        r#""#,
        r#"jq: error: Division by zero? at <top-level>, line 1:
1 / 0
jq: 1 compile error
"#,
        3,
    );
}

#[test]
fn jq_case_122() {
    check(
        &[r#".a - 1"#],
        r#"{"a":[1,2]}"#,
        r#""#,
        r#"jq: error (at <stdin>:0): array ([1,2]) and number (1) cannot be subtracted
"#,
        5,
    );
}

#[test]
fn jq_case_123() {
    check(
        &[r#"{(.):1}"#],
        r#"1"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Cannot use number (1) as object key
"#,
        5,
    );
}

#[test]
fn jq_case_124() {
    check(
        &[r#"-c"#, r#"null"#],
        r#"1"#,
        r#"null
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_125() {
    check(
        &[r#"-c"#, r#"true, false"#],
        r#"1"#,
        r#"true
false
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_126() {
    check(
        &[r#"-c"#, r#"[.[] | select(. == null)]"#],
        r#"[1,null]"#,
        r#"[null]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_127() {
    check(
        &[r#"-c"#, r#". // false"#],
        r#"null"#,
        r#"false
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_128() {
    check(
        &[r#"-c"#, r#"[true,false,null] | map(not)"#],
        r#"1"#,
        r#"[false,true,true]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_129() {
    check(
        &[r#"-c"#, r#"1 + . as $x | $x"#],
        r#"2"#,
        r#"3
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_130() {
    check(
        &[r#"-c"#, r#"[.[] as $x | $x * 2]"#],
        r#"[1,2]"#,
        r#"[2,4]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_131() {
    check(
        &[r#"-c"#, r#". as $x | [$x, .]"#],
        r#"3"#,
        r#"[3,3]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_132() {
    check(
        &[r#"-c"#, r#".a as $x | .b as $y | $x + $y"#],
        r#"{"a":1,"b":2}"#,
        r#"3
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_133() {
    check(
        &[r#"-c"#, r#"reduce .[] as $x (0; . + $x) | . * 2"#],
        r#"[1,2]"#,
        r#"6
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_134() {
    check(
        &[r#"-c"#, r#"[foreach .[] as $x (0; . + $x)]"#],
        r#"[1,2,3]"#,
        r#"[1,3,6]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_135() {
    check(
        &[r#"-c"#, r#"[foreach .[] as $x (0; . + $x; [$x, .])]"#],
        r#"[1,2]"#,
        r#"[[1,1],[2,3]]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_136() {
    check(
        &[r#"-c"#, r#"[.[] | try error("x\(.)") catch .]"#],
        r#"[1,2]"#,
        r#"["x1","x2"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_137() {
    check(
        &[r#"-c"#, r#"[.[] | (.a)? // "none"]"#],
        r#"[1,{"a":2}]"#,
        r#"["none",2]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_138() {
    check(
        &[
            r#"-r"#,
            r#".items[] | select(.metadata.name | startswith("a")) | .metadata.name"#,
        ],
        r#"{"items": [{"metadata": {"name": "a"}, "spec": {"x": 1}}, {"metadata": {"name": "b"}, "spec": {"x": 2}}], "kind": "List"}
"#,
        r#"a
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_139() {
    check(
        &[r#"-c"#, r#"[paths]"#],
        r#"1"#,
        r#"[]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_140() {
    check(
        &[
            r#"-c"#,
            r#"to_entries | map(select(.value > 1)) | from_entries"#,
        ],
        r#"{"a":1,"b":2}"#,
        r#"{"b":2}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_141() {
    check(
        &[r#"-c"#, r#"[.[] | tostring | length]"#],
        r#"[1, "ab", [1]]"#,
        r#"[1,2,3]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_142() {
    check(
        &[r#"-c"#, r#"map(. * 2) | add / length"#],
        r#"[1,2,3]"#,
        r#"4
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_143() {
    check(
        &[r#"-c"#, r#"[.[] | . % 3]"#],
        r#"[5,-5,4.7]"#,
        r#"[2,-2,1]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_144() {
    check(
        &[r#"-c"#, r#""x" * 3, "x" * 0"#],
        r#"null"#,
        r#""xxx"
null
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_145() {
    check(
        &[r#"-c"#, r#"{} * {"a":{"b":1}} * {"a":{"c":2}}"#],
        r#"null"#,
        r#"{"a":{"b":1,"c":2}}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_146() {
    check(
        &[r#"-c"#, r#"[.[] | ascii_downcase] | unique | length"#],
        r#"["A","a","b"]"#,
        r#"2
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_147() {
    check(
        &[r#"-c"#, r#"[limit(3; repeat(1))]"#],
        r#"null"#,
        r#"[1,1,1]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_148() {
    check(
        &[r#"-c"#, r#"[range(0; 10; 3)]"#, r#"[range(5; 0; -2)]"#],
        r#"null"#,
        r#""#,
        r#"jq: error: Could not open file [range(5; 0; -2)]: No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_149() {
    check(
        &[r#"-c"#, r#"getpath(["a",0,"b"])"#],
        r#"{"a":[{"b":9}]}"#,
        r#"9
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_150() {
    check(
        &[r#"-c"#, r#"[.[] | numbers, strings]"#],
        r#"[1,"a",null]"#,
        r#"[1,"a"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_151() {
    check(
        &[r#"-c"#, r#"[., input]"#],
        r#"1 2 3 4"#,
        r#"[1,2]
[3,4]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_152() {
    check(
        &[r#"-c"#, r#"debug"#],
        r#"{"a":1}"#,
        r#"{"a":1}
"#,
        r#"["DEBUG:",{"a":1}]
"#,
        0,
    );
}

#[test]
fn jq_case_153() {
    check(
        &[r#"-c"#, r#"flatten(1)"#],
        r#"[1,[2,[3]]]"#,
        r#"[1,2,[3]]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_154() {
    check(
        &[r#"-c"#, r#"min_by(.a), max_by(.a)"#],
        r#"[{"a":2},{"a":1},{"a":2,"b":1}]"#,
        r#"{"a":1}
{"a":2,"b":1}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_155() {
    check(
        &[r#"-c"#, r#"unique_by(length)"#],
        r#"["a","bb","c"]"#,
        r#"["a","bb"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_156() {
    check(
        &[r#"-c"#, r#"tojson | fromjson"#],
        r#"{"a":[1,"x"]}"#,
        r#"{"a":[1,"x"]}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_157() {
    check(
        &[r#"-c"#, r#".[] |= 1"#],
        r#"[1]"#,
        r#"[1]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_158() {
    check(
        &[r#"-c"#, r#"explode | implode"#],
        r#""héllo""#,
        r#""héllo"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_159() {
    check(
        &[r#"-c"#, r#"@sh"#],
        r#""it's""#,
        r#""'it'\\''s'"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_160() {
    check(
        &[r#"-c"#, r#"@uri"#, r#"@html"#],
        r#""a b&<>""#,
        r#""#,
        r#"jq: error: Could not open file @html: No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_161() {
    check(
        &[r#"-c"#, r#".[] | length"#],
        r#"[[1,2],"abc",{"a":1},null,-5]"#,
        r#"2
3
1
0
5
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_162() {
    check(
        &[r#"-c"#, r#"isempty(empty), isempty(.[])"#],
        r#"[1]"#,
        r#"true
false
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_163() {
    check(
        &[r#"-c"#, r#"[.[] | floor, sqrt]"#],
        r#"[4.5]"#,
        r#"[4,2.1213203435596424]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_164() {
    check(
        &[r#"-c"#, r#"ltrimstr(1)"#],
        r#""1x""#,
        r#""1x"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_165() {
    check(
        &[r#"-c"#, r#"contains(1)"#],
        r#""x""#,
        r#""#,
        r#"jq: error (at <stdin>:0): string ("x") and number (1) cannot have their containment checked
"#,
        5,
    );
}

#[test]
fn jq_case_166() {
    check(
        &[r#"-c"#, r#".[2:1]"#, r#".[:-1]"#, r#".[-2:]"#],
        r#"[1,2,3]"#,
        r#""#,
        r#"jq: error: Could not open file .[:-1]: No such file or directory
jq: error: Could not open file .[-2:]: No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_167() {
    check(
        &[r#"-c"#, r#".[1.7]"#],
        r#"[1,2,3]"#,
        r#"null
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_168() {
    check(
        &[r#"-c"#, r#".["a","b"]"#],
        r#"{"a":1,"b":2}"#,
        r#"1
2
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_169() {
    check(
        &[r#"-c"#, r#"[.[]?]"#],
        r#"3"#,
        r#"[]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_170() {
    check(
        &[r#"-c"#, r#".. | numbers"#],
        r#"[1,[2,{"a":3}]]"#,
        r#"1
2
3
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_171() {
    check(
        &[r#"-c"#, r#"to_entries"#],
        r#"[5]"#,
        r#"[{"key":0,"value":5}]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_172() {
    check(
        &[r#"-c"#, r#"keys[0]"#],
        r#"{"b":1,"a":2}"#,
        r#""a"
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_173() {
    check(
        &[r#"-c"#, r#"with_entries(select(.key != "a"))"#],
        r#"{"a":1,"b":2}"#,
        r#"{"b":2}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_174() {
    check(
        &[r#"-c"#, r#"join(", ")"#],
        r#"[[1]]"#,
        r#""#,
        r#"jq: error (at <stdin>:0): string ("") and array ([1]) cannot be added
"#,
        5,
    );
}

#[test]
fn jq_case_175() {
    check(
        &[r#"-c"#, r#"split(", ")"#],
        r#""a, b, c""#,
        r#"["a","b","c"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_176() {
    check(
        &[r#"-c"#, r#".a.b |= 3"#],
        r#"{}"#,
        r#"{"a":{"b":3}}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_177() {
    check(
        &[r#"-c"#, r#"any(. > 2)"#, r#"all(. > 0)"#],
        r#"[1,2,3]"#,
        r#""#,
        r#"jq: error: Could not open file all(. > 0): No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_178() {
    check(
        &[r#"-c"#, r#"has("x")"#],
        r#"[1]"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Cannot check whether array has a string key
"#,
        5,
    );
}

#[test]
fn jq_case_179() {
    check(
        &[r#"-c"#, r#"sort_by(.a, .b)"#],
        r#"[{"a":1,"b":2},{"a":1,"b":1},{"a":0,"b":5}]"#,
        r#"[{"a":0,"b":5},{"a":1,"b":1},{"a":1,"b":2}]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_180() {
    check(
        &[r#"-c"#, r#"group_by(.a) | map(length)"#],
        r#"[{"a":1},{"a":2},{"a":1}]"#,
        r#"[2,1]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_181() {
    check(
        &[r#"-c"#, r#".[] as $x | select($x > 1) | $x"#],
        r#"[1,2,3]"#,
        r#"2
3
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_182() {
    check(
        &[r#"-c"#, r#"$__loc__"#],
        r#"1"#,
        r#"{"file":"<top-level>","line":1}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_183() {
    check(
        &[r#"-c"#, r#"nan | isnan"#, r#"infinite"#],
        r#"null"#,
        r#""#,
        r#"jq: error: Could not open file infinite: No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_184() {
    check(
        &[r#"-c"#, r#"1e1000, -1e1000"#],
        r#"null"#,
        r#"1.7976931348623157e+308
-1.7976931348623157e+308
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_185() {
    check(
        &[r#"-c"#, r#"[.[] | tostring]"#],
        r#"[1e17, 0.1, 1.5e-7, 123456789012]"#,
        r#"["1e+17","0.1","1.5e-07","123456789012"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_186() {
    check(
        &[r#"-c"#, r#".a"#, r#".b"#],
        r#"{"a":1}"#,
        r#""#,
        r#"jq: error: Could not open file .b: No such file or directory
"#,
        2,
    );
}

#[test]
fn jq_case_187() {
    check(
        &[r#"-c"#, r#".a |= empty"#],
        r#"{"a":1}"#,
        r#"{}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_188() {
    check(
        &[r#"-c"#, r#".a[] |= .+1"#],
        r#"{"a":[1,2]}"#,
        r#"{"a":[2,3]}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_189() {
    check(
        &[r#"-c"#, r#"path(.a, .b.c)"#],
        r#"{"a":1}"#,
        r#"["a"]
["b","c"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_190() {
    check(
        &[r#"-c"#, r#"del(.[0,2])"#],
        r#"[1,2,3]"#,
        r#"[2]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_191() {
    check(
        &[r#"-c"#, r#"del(.[1:])"#],
        r#"[1,2,3]"#,
        r#"[1]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_192() {
    check(
        &[r#"-c"#, r#".b.c = 5"#],
        r#"{"a":1}"#,
        r#"{"a":1,"b":{"c":5}}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_193() {
    check(
        &[r#"-c"#, r#".[3] = 1"#],
        r#"[1]"#,
        r#"[1,null,null,1]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_194() {
    check(
        &[r#"-c"#, r#".[-3] = 1"#],
        r#"[1]"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Out of bounds negative array index
"#,
        5,
    );
}

#[test]
fn jq_case_195() {
    check(
        &[r#"-c"#, r#".a = 1"#],
        r#"1"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Cannot index number with string "a"
"#,
        5,
    );
}

#[test]
fn jq_case_196() {
    check(
        &[r#"-c"#, r#"[paths]"#],
        r#"{"a":{"b":1}}"#,
        r#"[["a"],["a","b"]]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_197() {
    check(
        &[r#"-c"#, r#"[leaf_paths]"#],
        r#"{"a":{"b":1}}"#,
        r#"[["a","b"]]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_198() {
    check(
        &[
            r#"-c"#,
            r#".a += 1, .a -= 1, .a *= 2, .a /= 2, .a %= 2, .b //= 3"#,
        ],
        r#"{"a":1}"#,
        r#"{"a":2}
{"a":0}
{"a":2}
{"a":0.5}
{"a":1}
{"a":1,"b":3}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_199() {
    check(
        &[r#"-c"#, r#".a //= 3"#],
        r#"{"a":null}"#,
        r#"{"a":3}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_200() {
    check(
        &[r#"-c"#, r#".[] = (3,4)"#],
        r#"[1,2]"#,
        r#"[3,3]
[4,4]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_201() {
    check(
        &[r#"-c"#, r#"path(.a[].x?)"#],
        r#"{"a":[1,2]}"#,
        r#""#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_202() {
    check(
        &[r#"-c"#, r#"path(select(.a))"#],
        r#"{"a":1}"#,
        r#"[]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_203() {
    check(
        &[r#"-c"#, r#"path(if .a then .a else .b end)"#],
        r#"{"a":1}"#,
        r#"["a"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_204() {
    check(
        &[r#"-c"#, r#"del(.a, .b)"#],
        r#"{"a":1}"#,
        r#"{}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_205() {
    check(
        &[r#"-c"#, r#"path(..)"#],
        r#"{}"#,
        r#"[]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_206() {
    check(
        &[r#"-c"#, r#"map_values(.+1)"#],
        r#"{"a":1}"#,
        r#"{"a":2}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_207() {
    check(
        &[r#"-c"#, r#"map_values(empty)"#],
        r#"[1,2]"#,
        r#"[2]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_208() {
    check(
        &[r#"-c"#, r#"delpaths([[]])"#],
        r#"1"#,
        r#"null
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_209() {
    check(
        &[r#"-c"#, r#"setpath(["a","b"]; 1)"#],
        r#"{"a":1}"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Cannot index number with string "b"
"#,
        5,
    );
}

#[test]
fn jq_case_210() {
    check(
        &[r#"-c"#, r#"path(first(.a[]))"#],
        r#"{"a":[1]}"#,
        r#"["a",0]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_211() {
    check(
        &[r#"-c"#, r#"path(getpath(["a","b"]))"#],
        r#"null"#,
        r#"["a","b"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_212() {
    check(
        &[r#"-c"#, r#".metadata.labels.tier = "web" | .metadata"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"{"name":"test-1","namespace":"default","labels":{"app":"test-1","tier":"web"}}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_213() {
    check(
        &[r#"-c"#, r#"del(.metadata, .status) | keys"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"["apiVersion","kind","spec"]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_214() {
    check(
        &[r#"-c"#, r#".spec.ports[0].port |= . + 1 | .spec.ports"#],
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "test-1",
        "namespace": "default",
        "labels": {
            "app": "test-1"
        }
    },
    "spec": {
        "clusterIP": "10.96.0.11",
        "clusterIPs": [
            "10.96.0.11"
        ],
        "ports": [
            {
                "name": "80",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#,
        r#"[{"name":"80","port":81,"protocol":"TCP","targetPort":80}]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_215() {
    check(
        &[r#"-c"#, r#"[paths(type == "number")]"#],
        r#"{"a":1,"b":[2,"x"]}"#,
        r#"[["a"],["b",0]]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_216() {
    check(
        &[r#"-c"#, r#".[2:4] = ["x"]"#],
        r#"[0,1,2,3,4]"#,
        r#"[0,1,"x",4]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_217() {
    check(
        &[r#"-c"#, r#"to_entries"#],
        r#"{"a":1,"b":2}"#,
        r#"[{"key":"a","value":1},{"key":"b","value":2}]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_218() {
    check(
        &[r#"-c"#, r#".a[1:] |= map(. * 10)"#],
        r#"{"a":[1,2,3]}"#,
        r#"{"a":[1,20,30]}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_219() {
    check(
        &[r#"-c"#, r#"(.a, .b) = 9"#],
        r#"{"a":1}"#,
        r#"{"a":9,"b":9}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_220() {
    check(
        &[r#"-c"#, r#".a.b.c |= 1"#],
        r#"null"#,
        r#"{"a":{"b":{"c":1}}}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_221() {
    check(
        &[r#"-c"#, r#".[] += 1"#],
        r#"{"a":1,"b":2}"#,
        r#"{"a":2,"b":3}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_222() {
    check(
        &[r#"-c"#, r#"del(.[] | select(. > 1))"#],
        r#"[1,2,3,1]"#,
        r#"[1,1]
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_223() {
    check(
        &[r#"-c"#, r#"del(..|.x?)"#],
        r#"{"x":1,"y":{"x":2}}"#,
        r#"{"y":{}}
"#,
        r#""#,
        0,
    );
}

#[test]
fn jq_case_224() {
    check(
        &[r#"-c"#, r#"path(1)"#],
        r#"null"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Invalid path expression with result 1
"#,
        5,
    );
}

#[test]
fn jq_case_225() {
    check(
        &[r#"-c"#, r#"path(.a | tostring)"#],
        r#"{"a":1}"#,
        r#""#,
        r#"jq: error (at <stdin>:0): Invalid path expression with result "1"
"#,
        5,
    );
}

#[test]
fn jq_parse_error_226() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"[1,"a	b"]"#,
        r#""#,
        r#"parse error: Invalid string: control characters from U+0000 through U+001F must be escaped at line 1, column 8
"#,
        2,
    );
}

#[test]
fn jq_parse_error_227() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"[1,2"#,
        r#""#,
        r#"parse error: Unfinished JSON term at EOF at line 1, column 4
"#,
        2,
    );
}

#[test]
fn jq_parse_error_228() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"abc"#,
        r#""#,
        r#"parse error: Invalid numeric literal at EOF at line 1, column 3
"#,
        2,
    );
}

#[test]
fn jq_parse_error_229() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"1 2 x"#,
        r#"1
2
"#,
        r#"parse error: Invalid numeric literal at EOF at line 1, column 5
"#,
        2,
    );
}

#[test]
fn jq_parse_error_230() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#""abc"#,
        r#""#,
        r#"parse error: Unfinished string at EOF at line 1, column 4
"#,
        2,
    );
}

#[test]
fn jq_parse_error_231() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"{"a" 2}"#,
        r#""#,
        r#"parse error: Expected separator between values at line 1, column 7
"#,
        2,
    );
}

#[test]
fn jq_parse_error_232() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"NAME   TYPE
foo    ClusterIP
"#,
        r#""#,
        r#"parse error: Invalid numeric literal at line 1, column 5
"#,
        2,
    );
}

#[test]
fn jq_parse_error_233() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"{"a":1 "b":2}"#,
        r#""#,
        r#"parse error: Expected separator between values at line 1, column 10
"#,
        2,
    );
}

#[test]
fn jq_parse_error_234() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"[1,2 {}]"#,
        r#""#,
        r#"parse error: Expected separator between values at line 1, column 6
"#,
        2,
    );
}

#[test]
fn jq_parse_error_235() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"{"a":1,}"#,
        r#""#,
        r#"parse error: Expected another key-value pair at line 1, column 8
"#,
        2,
    );
}

#[test]
fn jq_parse_error_236() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"[1,]"#,
        r#""#,
        r#"parse error: Expected another array element at line 1, column 4
"#,
        2,
    );
}

#[test]
fn jq_parse_error_237() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"{1:2}"#,
        r#""#,
        r#"parse error: Object keys must be strings at line 1, column 3
"#,
        2,
    );
}

#[test]
fn jq_parse_error_238() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"[1}"#,
        r#""#,
        r#"parse error: Objects must consist of key:value pairs at line 1, column 3
"#,
        2,
    );
}

#[test]
fn jq_parse_error_239() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"{"a"}"#,
        r#""#,
        r#"parse error: Objects must consist of key:value pairs at line 1, column 5
"#,
        2,
    );
}

#[test]
fn jq_parse_error_240() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"[nul]"#,
        r#""#,
        r#"parse error: Invalid literal at line 1, column 5
"#,
        2,
    );
}

#[test]
fn jq_parse_error_241() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#":"#,
        r#""#,
        r#"parse error: Expected string key before ':' at line 1, column 1
"#,
        2,
    );
}

#[test]
fn jq_parse_error_242() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#"1,2"#,
        r#""#,
        r#"parse error: Expected value before ',' at line 1, column 2
"#,
        2,
    );
}

#[test]
fn jq_parse_error_243() {
    // jq 1.6 exits 4 here; jq 1.7 and the manual say 2, which we follow.
    assert_eq!(4, 4);
    check(
        &["-c", "."],
        r#""\x""#,
        r#""#,
        r#"parse error: Invalid escape at line 1, column 4
"#,
        2,
    );
}

// ---------------------------------------------------------------------------
// Deliberate differences from jq 1.6.

fn unsupported(filter: &str, what: &str) {
    let (o, e, c) = run_jq(&[filter.to_string()], "{\"a\":1}");
    assert_eq!(o, "");
    assert_eq!(c, 3, "compile-error status for {filter}");
    assert!(
        e.starts_with(&format!(
            "jq: error: servicecidr-sim jq does not support {what}"
        )),
        "{e}"
    );
    assert!(e.ends_with("jq: 1 compile error\n"), "{e}");
}

#[test]
fn unsupported_filters_fail_at_compile_time_with_status_3() {
    unsupported("test(\"a\")", "test/1");
    unsupported("[splits(\"a\")]", "splits/1");
    unsupported("indices(1)", "indices/1");
    unsupported("def f: 1; f", "function definitions (def)");
    unsupported("$ENV", "$ENV");
    unsupported("env", "env/0");
    unsupported(". as [$a] | $a", "destructuring patterns");
    unsupported("label $f | 1", "label/break");
    unsupported("now", "now/0");
    unsupported("@base32", "@base32");
}

#[test]
fn unknown_names_are_not_defined_like_jq() {
    let (_, e, c) = run_jq(&[".a | foo".to_string()], "1");
    assert_eq!(
        e,
        "jq: error: foo/0 is not defined at <top-level>, line 1:\n.a | foo     \njq: 1 compile error\n"
    );
    assert_eq!(c, 3);
}

#[test]
fn if_without_else_is_accepted_as_in_jq_1_7() {
    let (o, e, c) = run_jq(&["if . then 1 end".to_string()], "false\ntrue");
    assert_eq!((o.as_str(), e.as_str(), c), ("false\n1\n", "", 0));
}

#[test]
fn input_past_the_end_says_no_more_inputs_as_in_jq_1_7() {
    let (o, e, c) = run_jq(&["-c".to_string(), "input".to_string()], "1 2 3");
    assert_eq!(o, "2\n");
    assert_eq!(e, "jq: error (at <stdin>:0): No more inputs\n");
    assert_eq!(c, 5);
}

#[test]
fn unsupported_options_fail_with_usage_status() {
    let (o, e, c) = run_jq(&["--stream".to_string(), ".".to_string()], "1");
    assert_eq!(o, "");
    assert_eq!(c, 2);
    assert!(e.contains("does not support the option --stream"), "{e}");
}

#[test]
fn runaway_generators_stop_at_the_step_limit() {
    let (_, e, c) = run_jq(
        &["-n".to_string(), "[range(1e12)] | length".to_string()],
        "",
    );
    assert_eq!(c, 5);
    assert!(e.contains("step limit"), "{e}");
    let (_, e, c) = run_jq(&["-n".to_string(), "[repeat(1)]".to_string()], "");
    assert_eq!(c, 5);
    assert!(e.contains("limit"), "{e}");
}
