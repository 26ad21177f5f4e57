// The cases of `polymorphism.rs`, included there and in `main.rs`'s `polymorphism_split`
// with `fx` naming the crate under test.

use crate::common::{assert_round_trip, json, read, write};
use serde_json::Value;

const DRIVE: &str = r##"{
  "id": "d1",
  "outline": {"@odata.type": "#contoso.files.circle", "label": "o", "radius": 2.5},
  "shapes": [
    {"label": "plain"},
    {"@odata.type": "#files.square", "label": "s", "side": 3.0},
    {"@odata.type": "#contoso.files.hexagon", "label": "h", "corners": 6}
  ],
  "cover": {"@odata.type": "#contoso.files.photo", "id": "p1", "name": "sunset", "pages": 1, "width": 640},
  "items": [
    {"@odata.type": "#contoso.files.document", "id": "doc", "pages": 12},
    {"@odata.type": "#contoso.files.folder", "id": "dir", "children": [
      {"@odata.type": "#contoso.files.photo", "id": "p2", "width": 10}
    ]},
    {"@odata.type": "#contoso.files.video", "id": "v1", "seconds": 90}
  ]
}"##;

#[test]
fn derived_values_are_read_by_odata_type() {
    let drive: fx::Drive = assert_round_trip(DRIVE);

    let Some(fx::AnyShape::Circle(circle)) = &drive.outline else {
        panic!("outline should be a circle: {:?}", drive.outline)
    };
    assert_eq!(circle.radius, Some(2.5));

    let shapes = drive.shapes.as_ref().unwrap();
    assert!(matches!(&shapes[0], fx::AnyShape::Shape(s) if s.label.as_deref() == Some("plain")));
    // The alias spelling of the namespace works too.
    assert!(matches!(&shapes[1], fx::AnyShape::Square(s) if s.side == Some(3.0)));
    // An unknown derived type is read as the base type and keeps everything.
    let fx::AnyShape::Shape(hexagon) = &shapes[2] else {
        panic!("unknown derived type should be kept as the base")
    };
    assert_eq!(hexagon.label.as_deref(), Some("h"));
    assert_eq!(hexagon.additional_properties["corners"], Value::from(6));
    assert_eq!(
        hexagon.additional_properties["@odata.type"],
        Value::from("#contoso.files.hexagon")
    );

    // Two levels of derivation (photo -> document -> item).
    let Some(fx::AnyItem::Photo(photo)) = &drive.cover else {
        panic!("cover should be a photo")
    };
    assert_eq!((photo.pages, photo.width), (Some(1), Some(640)));

    let items = drive.items.as_ref().unwrap();
    assert!(matches!(&items[0], fx::AnyItem::Document(d) if d.pages == Some(12)));
    let fx::AnyItem::Folder(folder) = &items[1] else {
        panic!("second item should be a folder")
    };
    assert!(matches!(
        &folder.children.as_ref().unwrap()[0],
        fx::AnyItem::Photo(p) if p.width == Some(10)
    ));
    let fx::AnyItem::Item(video) = &items[2] else {
        panic!("unknown derived entity should be kept as the base")
    };
    assert_eq!(video.additional_properties["seconds"], Value::from(90));
}

#[test]
fn derived_values_write_their_odata_type() {
    let drive = fx::Drive {
        id: Some("d2".into()),
        outline: Some(
            fx::Square {
                side: Some(1.0),
                ..Default::default()
            }
            .into(),
        ),
        shapes: Some(vec![fx::Shape {
            label: Some("base".into()),
            ..Default::default()
        }
        .into()]),
        ..Default::default()
    };
    assert_eq!(
        write(&drive),
        json(
            r##"{"id": "d2",
                "outline": {"@odata.type": "#contoso.files.square", "side": 1.0},
                "shapes": [{"label": "base"}]}"##
        )
    );
    // A value that already carries an @odata.type keeps it (written once).
    let mut photo = fx::Photo::default();
    photo
        .additional_properties
        .insert("@odata.type".into(), Value::from("#files.photo"));
    let any: fx::AnyItem = photo.into();
    assert_eq!(write(&any), json(r##"{"@odata.type": "#files.photo"}"##));
    let back: fx::AnyItem = read(r##"{"@odata.type": "#files.photo"}"##);
    assert!(matches!(back, fx::AnyItem::Photo(_)));
}

#[test]
fn a_wrong_shape_names_the_failing_field() {
    // An array where an object belongs is an error (a primitive value that does not fit
    // its type is kept instead: `primitives.rs`).
    let err = serde_json::from_str::<fx::Drive>(r##"{"cover": [1, 2]}"##).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
    let lenient: fx::Drive = serde_json::from_str(
        r##"{"cover": {"@odata.type": "#contoso.files.photo", "width": "wide"}}"##,
    )
    .unwrap();
    assert!(lenient.cover.is_some());
}
